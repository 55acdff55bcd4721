using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>The comparison prefixes of number, date and quantity values (<c>ge2020</c>, <c>lt5.4</c>); eq when absent.</summary>
internal static class SearchPrefixes
{
    public const string Known = "eq, ne, gt, lt, ge, le, sa, eb, ap";

    /// <summary>Numbers and dates start with a digit or a sign, so leading letters can only be a prefix.</summary>
    public static (SearchPrefix Prefix, string Remainder) Split(string value, RawParameter source)
    {
        int letters = 0;
        while (letters < value.Length && char.IsAsciiLetter(value[letters]))
        {
            letters++;
        }

        if (letters == 0)
        {
            return (SearchPrefix.Eq, value);
        }

        if (letters != 2 || !TryParse(value.AsSpan(0, 2), out SearchPrefix prefix))
        {
            throw source.Invalid($"unknown prefix '{RawParameter.Shorten(value[..letters])}' (known: {Known})");
        }

        return (prefix, value[2..]);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out SearchPrefix prefix)
    {
        prefix = text switch
        {
            "eq" => SearchPrefix.Eq,
            "ne" => SearchPrefix.Ne,
            "gt" => SearchPrefix.Gt,
            "lt" => SearchPrefix.Lt,
            "ge" => SearchPrefix.Ge,
            "le" => SearchPrefix.Le,
            "sa" => SearchPrefix.Sa,
            "eb" => SearchPrefix.Eb,
            "ap" => SearchPrefix.Ap,
            _ => (SearchPrefix)(-1),
        };
        return prefix >= 0;
    }
}
