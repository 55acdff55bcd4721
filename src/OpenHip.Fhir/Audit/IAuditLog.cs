namespace OpenHip.Fhir.Audit;

/// <summary>
/// The append-only audit log a store keeps beside (never inside) its FHIR tables: no resource versions, no search index,
/// no outbox. Write audits arrive with their data in <see cref="Storage.Changeset.AuditRows"/>; everything else is
/// appended here in batches. Nothing in this contract updates or deletes a row.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends the rows in one transaction, durably: when the task completes they survive a crash.</summary>
    Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken);

    Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken);

    /// <summary>One page of rows matching the query, oldest first.</summary>
    /// <exception cref="Errors.FhirException">A cursor this log did not issue (400).</exception>
    Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every stored row of a chain in sequence order, without loading them all (verification).</summary>
    IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, CancellationToken cancellationToken);

    /// <summary>
    /// The patient index entries among the given (patient, event id) pairs (verification: every event must be found
    /// under each patient it names, or that patient's view would not show it).
    /// </summary>
    Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken);

    /// <summary>How many entries the patient index has in all.</summary>
    Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken);

    /// <summary>Every chain with its newest stored row, in chain id order.</summary>
    Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps the log's copy of a checkpoint; a second checkpoint with the same node and number fails.</summary>
    Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken);

    /// <summary>The log's copies of checkpoints, by node then number.</summary>
    Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken);
}
