namespace OpenHip.Fhir.Audit;

/// <summary>
/// Audit rows by patient and/or agent in a time window [From, Until), oldest first, one page at a time. Answered from
/// the log's own indexes (patient, agent, time), never by scanning payloads.
/// </summary>
/// <param name="After">The cursor of the previous page (<see cref="AuditPage.Next"/>); null for the first page.</param>
public sealed record AuditQuery(
    string? Patient = null,
    string? Agent = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null,
    int Count = 50,
    string? After = null);
