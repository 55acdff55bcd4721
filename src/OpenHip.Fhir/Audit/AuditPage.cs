namespace OpenHip.Fhir.Audit;

/// <param name="Next">The cursor for the following page; null when this is the last one.</param>
public sealed record AuditPage(IReadOnlyList<StoredAuditRow> Rows, string? Next);
