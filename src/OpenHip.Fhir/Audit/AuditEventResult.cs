using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Audit;

/// <summary>One page of AuditEvent search.</summary>
/// <param name="Query">The parameters applied, as a query string without <c>_cursor</c> (for the Bundle's links).</param>
/// <param name="Next">The <c>_cursor</c> of the following page; null on the last one.</param>
public sealed record AuditEventResult(IReadOnlyList<StoredResource> Events, string Query, string? Next);
