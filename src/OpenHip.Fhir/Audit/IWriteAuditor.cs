namespace OpenHip.Fhir.Audit;

/// <summary>
/// Turns the audit records of a changeset into chained rows that commit in the same transaction as the data
/// (<see cref="Storage.Changeset.AuditRows"/>). The engine asks for a reservation before the commit and settles it after:
/// a changeset that does not commit leaves no row and does not advance any chain.
/// </summary>
public interface IWriteAuditor
{
    ValueTask<AuditReservation> ReserveAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
