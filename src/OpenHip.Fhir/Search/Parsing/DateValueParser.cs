using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>date values: a prefix and a date, dateTime or instant, as the inclusive range its precision covers.</summary>
internal static class DateValueParser
{
    public static (SearchPrefix Prefix, DateTimeOffset Low, DateTimeOffset High) Parse(string raw, TimeZoneInfo zone, RawParameter source)
    {
        (SearchPrefix prefix, string date) = SearchPrefixes.Split(raw, source);
        if (DateRange.TryParse(date, zone, out DateTimeOffset low, out DateTimeOffset high))
        {
            return (prefix, low, high);
        }

        // An unencoded '+' of a zone offset arrives as a space after URL decoding.
        string hint = date.Contains(' ', StringComparison.Ordinal) ? "; a '+' in a URL must be sent as %2B" : string.Empty;
        throw source.Invalid(
            $"'{RawParameter.Shorten(date)}' is not a valid date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]][Z|+hh:mm]){hint}");
    }

    public static DateExpression ParseExpression(string parameter, string raw, TimeZoneInfo zone, RawParameter source)
    {
        (SearchPrefix prefix, DateTimeOffset low, DateTimeOffset high) = Parse(raw, zone, source);
        return new DateExpression(parameter, prefix, low, high);
    }
}
