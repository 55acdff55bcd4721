namespace OpenHip.Fhir.Audit;

/// <summary>An audit row with the id the log gave it (stable, for reading one event and for cursors).</summary>
public sealed record StoredAuditRow(long Id, AuditRow Row);
