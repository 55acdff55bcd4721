namespace OpenHip.Fhir.Search;

/// <summary>
/// Recognises absolute URLs on this server's own base, which R4 says match the relative reference
/// ("a relative reference resolving to the same value as a specified absolute URL, or vice versa, qualifies").
/// </summary>
public sealed class LocalBase(string? baseUrl)
{
    private readonly string? _prefix = string.IsNullOrEmpty(baseUrl) ? null : baseUrl.TrimEnd('/') + "/";

    /// <summary>True when <paramref name="url"/> is <c>[base]/Type/id</c> on this server.</summary>
    public bool IsLocal(string? url) => _prefix is not null && url is not null && url.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The part after the base (<c>Type/id...</c>), or null when <paramref name="url"/> is not on this server.</summary>
    public string? Relative(string url) => IsLocal(url) ? url[_prefix!.Length..] : null;
}
