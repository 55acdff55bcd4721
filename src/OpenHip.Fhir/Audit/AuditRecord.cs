namespace OpenHip.Fhir.Audit;

/// <param name="Interaction">FHIR restful interaction code: read, vread, update, patch, delete, history-instance, create, search-type, transaction, batch, operation, capabilities.</param>
/// <param name="Who">Authenticated client or user; null when auth is off.</param>
/// <param name="Source">The submitting institution (meta.source) when known.</param>
/// <param name="Resource">Type/id (and version) the interaction touched, when it touched one.</param>
/// <param name="Patients">Patient ids whose data the interaction touched, for the security officer's per-patient view.</param>
/// <param name="Outcome">The HTTP status returned.</param>
public sealed record AuditRecord(
    DateTimeOffset When,
    string Interaction,
    string? Who,
    string? Source,
    string? Resource,
    IReadOnlyList<string> Patients,
    int Outcome,
    string? CorrelationId)
{
    /// <summary>High for records a security officer must look at soon (break-the-glass); sinks may alert on it.</summary>
    public AuditPriority Priority { get; init; } = AuditPriority.Normal;
}
