namespace OpenHip.Fhir.Audit;

/// <summary>The reads of the audit log (<see cref="IAuditLog"/>), which a store may answer from more than one set of tables.</summary>
public interface IAuditLogReads
{
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

    /// <summary>The log's copies of checkpoints, by node then number.</summary>
    Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken);
}
