using System.Text;
using System.Text.RegularExpressions;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Ids derived from canonical URLs, so that the same content always lands on the same resource and loading it twice
/// writes nothing new.
/// </summary>
internal static partial class StableIds
{
    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The URL's last path segment with characters R4 ids may not hold replaced by '-'; null when nothing is left.</summary>
    public static string? FromUrl(string url)
    {
        string segment = url.TrimEnd('/');
        segment = segment[(segment.LastIndexOfAny(['/', ':']) + 1)..];
        var id = new StringBuilder(segment.Length);
        foreach (char c in segment)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-');
        }

        string result = id.ToString().Trim('-');
        return result.Length == 0 ? null : result[..Math.Min(64, result.Length)];
    }

    /// <summary>A computer-friendly name (R4 invariant cps-0 / vsd-0) from an id: letters and digits, each word capitalised.</summary>
    public static string NameFrom(string id)
    {
        var name = new StringBuilder(id.Length);
        bool upper = true;
        foreach (char c in id)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return name.Length > 0 && char.IsAsciiLetter(name[0]) ? name.ToString() : "N" + name;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex IdPattern();
}
