namespace OpenHip.Fhir.Audit;

/// <summary>
/// The append-only audit log a store keeps beside (never inside) its FHIR tables: no resource versions, no search index,
/// no outbox. Write audits arrive with their data in <see cref="Storage.Changeset.AuditRows"/>; everything else is
/// appended here in batches. Nothing in this contract updates or deletes a row.
/// </summary>
public interface IAuditLog : IAuditLogReads
{
    /// <summary>Appends the rows in one transaction, durably: when the task completes they survive a crash.</summary>
    Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken);

    /// <summary>Keeps the log's copy of a checkpoint; a second checkpoint with the same node and number fails.</summary>
    Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken);
}
