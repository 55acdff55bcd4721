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

    // The BALP fields below are init-only so records made before them (and rows written before them) still read.

    /// <summary>The OAuth client the request came through (<c>client_id</c>); BALP's client agent.</summary>
    public string? ClientId { get; init; }

    /// <summary>The person behind the request as a FHIR reference (the token's <c>fhirUser</c>); BALP's user agent.</summary>
    public string? User { get; init; }

    /// <summary>Why the caller asked (v3 ActReason codes from the token's <c>purpose_of_use</c>).</summary>
    public IReadOnlyList<string> PurposeOfUse { get; init; } = [];

    /// <summary>The client's network address as the server saw it.</summary>
    public string? NetworkAddress { get; init; }

    /// <summary>The query string of a search (without the leading '?'); BALP's query entity.</summary>
    public string? Query { get; init; }
}
