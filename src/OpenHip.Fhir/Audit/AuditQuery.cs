namespace OpenHip.Fhir.Audit;

/// <summary>
/// Audit rows by patient and/or agent in a time window [From, Until), in (recorded, id) order, one page at a time.
/// Answered from the log's own indexes (patient, agent, time), never by scanning payloads.
/// </summary>
/// <param name="After">The cursor of the previous page (<see cref="AuditPage.Next"/>); null for the first page.</param>
/// <param name="NewestFirst">Pages from the newest event back (a resident's "who saw my record" view); oldest first otherwise.</param>
public sealed record AuditQuery(
    string? Patient = null,
    string? Agent = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null,
    int Count = 50,
    string? After = null,
    bool NewestFirst = false)
{
    /// <summary>
    /// For a patient query, whether an event found under the patient names them. A store's index may list an event under
    /// a patient it does not name (SQLite's keys hold a hash of the id); only the audit module reads payloads.
    /// </summary>
    public Func<StoredAuditRow, bool>? NamesPatient { get; init; }

    /// <summary>Orders two events the way the query's pages list them.</summary>
    public int Compare(long recordedA, long idA, long recordedB, long idB)
    {
        int order = recordedA != recordedB ? recordedA.CompareTo(recordedB) : idA.CompareTo(idB);
        return NewestFirst ? -order : order;
    }

    /// <summary>Orders two stored events the way the query's pages list them.</summary>
    public int Compare(StoredAuditRow a, StoredAuditRow b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a.Row.Recorded.ToUnixTimeMilliseconds(), a.Id, b.Row.Recorded.ToUnixTimeMilliseconds(), b.Id);
    }
}
