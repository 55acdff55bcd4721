namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>
/// One labelling rule: a resource with a code of <see cref="System"/> matching <see cref="Codes"/> gets
/// <see cref="Label"/>. A code entry is exact (<c>7917-8</c>) or an ICD-10 category range (<c>F00-F99</c>, compared on
/// the three-character category, so <c>F32.1</c> is in it).
/// </summary>
public sealed class SensitivityRule
{
    /// <summary>The label written, <c>system|code</c>.</summary>
    public string Label { get; init; } = string.Empty;

    public string System { get; init; } = string.Empty;

    public List<string> Codes { get; init; } = [];

    /// <summary>Where the rule comes from, for the reader of the configuration.</summary>
    public string? Source { get; init; }

    public bool Matches(string? system, string? code)
    {
        if (code is null || !string.Equals(system, System, StringComparison.Ordinal))
        {
            return false;
        }

        string category = code.Length >= 3 ? code[..3].ToUpperInvariant() : code;
        foreach (string entry in Codes)
        {
            int dash = entry.IndexOf('-', StringComparison.Ordinal);
            bool range = dash == 3 && entry.Length == 7;
            if (range
                ? string.CompareOrdinal(category, entry[..3]) >= 0 && string.CompareOrdinal(category, entry[4..]) <= 0
                : string.Equals(entry, code, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
