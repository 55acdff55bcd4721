namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>
/// One "do not share" provision of a resident's consent. No labels: the whole record (opt-out); labels: only resources
/// carrying one of them (<c>system|code</c>). Actors empty: every other institution; otherwise only those named.
/// </summary>
/// <param name="Actors">Institutions the denial is aimed at (the <c>openhip_source</c> / meta.source values).</param>
/// <param name="ExceptActors">Institutions a nested permit keeps sharing with.</param>
/// <param name="Purposes">Purposes of use the denial is limited to (v3 ActReason codes); empty: any purpose.</param>
internal sealed record DenyRule(
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Actors,
    IReadOnlyList<string> ExceptActors,
    IReadOnlyList<string> Purposes,
    DateTimeOffset? Start,
    DateTimeOffset? End)
{
    public bool IsActiveAt(DateTimeOffset now) => (Start is null || Start <= now) && (End is null || now <= End);

    /// <summary>Whether this denial holds against a caller of <paramref name="source"/> with <paramref name="purposes"/>.</summary>
    public bool AppliesTo(string? source, IReadOnlyList<string> purposes)
    {
        if (Purposes.Count > 0 && !Purposes.Any(purposes.Contains))
        {
            return false;
        }

        if (source is not null && ExceptActors.Contains(source, StringComparer.Ordinal))
        {
            return false;
        }

        return Actors.Count == 0 || (source is not null && Actors.Contains(source, StringComparer.Ordinal));
    }
}
