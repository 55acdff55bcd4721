using System.Text.RegularExpressions;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>string values: starts-with by default, <c>:contains</c>, <c>:exact</c>; <c>:text</c> reads as the default.</summary>
internal static partial class StringValueParser
{
    public static StringExpression Parse(string parameter, string? modifier, string raw, RawParameter source)
    {
        string value = SearchValueSyntax.Unescape(raw);
        switch (modifier)
        {
            case "exact":
                return new StringExpression(parameter, StringMatch.Exact, value);
            case "contains":
                return new StringExpression(parameter, StringMatch.Contains, SearchText.Normalize(value));
            default:
                // "ge2020" on a string is almost always a number/date prefix sent to the wrong parameter; answering it as
                // text would silently find nothing. :exact and :contains still search such text literally.
                Match prefix = PrefixedNumber().Match(value);
                if (prefix.Success)
                {
                    throw source.Invalid(
                        $"the prefix '{prefix.Groups[1].Value}' applies to number, date and quantity parameters only, and '{parameter}' is a string "
                        + "parameter (use :exact or :contains to search for this text itself)");
                }

                return new StringExpression(parameter, StringMatch.StartsWith, SearchText.Normalize(value));
        }
    }

    [GeneratedRegex(@"^(eq|ne|gt|lt|ge|le|sa|eb|ap)[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixedNumber();
}
