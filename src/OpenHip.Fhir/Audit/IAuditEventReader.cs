using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Audit;

/// <summary>
/// Serves <c>AuditEvent/{id}</c> from the audit log instead of the resource tables (where AuditEvents never are).
/// Implemented by the security module when the audit log is on.
/// </summary>
public interface IAuditEventReader
{
    /// <summary>The log row <paramref name="id"/> as an AuditEvent resource; null when there is none.</summary>
    Task<StoredResource?> ReadAsync(string id, CancellationToken cancellationToken);

    /// <summary>One page of log rows matching the query, as AuditEvent resources.</summary>
    Task<AuditEventPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken);
}
