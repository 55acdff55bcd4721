using System.Diagnostics.CodeAnalysis;

namespace OpenHip.Modules.Surveillance.Domain.Counting;

/// <summary>
/// A GB/T 2260 division at one level. County = the first 6 digits of a (6 or 9+ digit) code, city = first 4 + "00",
/// province = first 2 + "0000". A code ending in "0000" names a province, one ending in "00" a city (counties never end in
/// "00"). Cases without a code are counted under <see cref="Unknown"/>.
/// </summary>
internal readonly record struct AreaCode(string Code, AreaLevel Level)
{
    public const string Unknown = "000000";

    public static string CountyOf(string? divisionCode) =>
        divisionCode is { Length: >= 6 } code && code.AsSpan(0, 6).IndexOfAnyExceptInRange('0', '9') < 0 ? code[..6] : Unknown;

    public static string CityOf(string county) => county[..4] + "00";

    public static string ProvinceOf(string county) => county[..2] + "0000";

    /// <summary>Parses an area parameter: six digits at any level.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AreaCode? area)
    {
        area = null;
        if (text is not { Length: 6 } || text.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        area = new AreaCode(text, text.EndsWith("0000", StringComparison.Ordinal) ? AreaLevel.Province : text.EndsWith("00", StringComparison.Ordinal) ? AreaLevel.City : AreaLevel.County);
        return true;
    }
}
