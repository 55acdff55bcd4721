using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Audit;

/// <summary>Log rows rendered as AuditEvents, with the cursor of the following page (null on the last).</summary>
public sealed record AuditEventPage(IReadOnlyList<StoredResource> Events, string? Next);
