namespace OpenHip.Modules.Terminology.Domain;

/// <summary>Canonical references: <c>url|version</c>.</summary>
internal static class Canonicals
{
    public static (string Url, string? Version) Split(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        int bar = canonical.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (canonical, null) : (canonical[..bar], canonical[(bar + 1)..] is { Length: > 0 } v ? v : null);
    }
}
