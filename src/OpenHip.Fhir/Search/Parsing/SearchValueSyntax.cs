using System.Text;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// FHIR search value escaping: <c>\,</c> <c>\$</c> <c>\|</c> and <c>\\</c> stand for the literal character. Values are
/// split level by level (OR on ',', composite on '$', system/code on '|') with the escapes kept, and only the final
/// pieces are unescaped, so an escaped separator never splits at a deeper level either.
/// </summary>
internal static class SearchValueSyntax
{
    public static List<string> Split(string value, char separator)
    {
        List<string> parts = [];
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    public static int IndexOf(string value, char separator)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == separator)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A backslash before anything else is kept as written: only the four escapes are defined.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is ',' or '$' or '|' or '\\')
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
