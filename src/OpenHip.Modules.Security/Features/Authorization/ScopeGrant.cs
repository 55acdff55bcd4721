namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// Which requested scopes a client gets: those its registration allows (an entry ending in <c>*</c> allows any suffix).
/// What a scope then lets the caller see is the access policy's business, not the token's.
/// </summary>
internal static class ScopeGrant
{
    /// <summary>Scopes every client may ask for: they select flows and launch context, not data.</summary>
    private static readonly HashSet<string> Protocol = new(StringComparer.Ordinal)
    {
        "openid", "fhirUser", "profile", "offline_access", "online_access", "launch/patient",
    };

    public static IReadOnlyList<string> Grant(IEnumerable<string> requested, IReadOnlyList<string> allowed) =>
        [.. requested.Distinct(StringComparer.Ordinal).Where(scope => Protocol.Contains(scope) || allowed.Any(a => Matches(a, scope)))];

    private static bool Matches(string allowed, string scope) =>
        allowed.EndsWith('*') ? scope.StartsWith(allowed[..^1], StringComparison.Ordinal) : string.Equals(allowed, scope, StringComparison.Ordinal);
}
