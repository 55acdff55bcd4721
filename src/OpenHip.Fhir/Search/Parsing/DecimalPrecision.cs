using System.Globalization;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// A search number with the range its written precision implies: half a unit of the last digit either side, so
/// "100" is [99.5, 100.5), "100.0" is [99.95, 100.05) and "1e2" is [50, 150).
/// </summary>
internal static class DecimalPrecision
{
    // decimal carries 28 digits after the point; a finer last digit cannot be represented.
    private const int MaxScale = 27;

    public static (decimal Value, decimal Low, decimal High) Parse(string text, RawParameter source)
    {
        const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (text.Length == 0 || !decimal.TryParse(text, Styles, CultureInfo.InvariantCulture, out decimal value))
        {
            throw source.Invalid($"'{RawParameter.Shorten(text)}' is not a number");
        }

        int e = text.AsSpan().IndexOfAny('e', 'E');
        ReadOnlySpan<char> mantissa = e < 0 ? text : text.AsSpan(0, e);
        int exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        int decimals = point < 0 ? 0 : mantissa.Length - point - 1;

        // The last written digit has the place value 10^-scale; half of it is 5 * 10^-(scale + 1).
        int scale = decimals - exponent;
        if (scale is > MaxScale or < -MaxScale)
        {
            throw source.Invalid($"'{RawParameter.Shorten(text)}' is beyond the supported precision");
        }

        decimal half = scale >= 0 ? new decimal(5, 0, 0, false, (byte)(scale + 1)) : 5m * Pow10(-scale - 1);
        try
        {
            return (value, value - half, value + half);
        }
        catch (OverflowException)
        {
            throw source.Invalid($"'{RawParameter.Shorten(text)}' is beyond the supported range");
        }
    }

    private static decimal Pow10(int exponent)
    {
        decimal result = 1m;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
