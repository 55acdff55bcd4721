using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenHip.Fhir.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the inclusive instant range its precision covers, to the millisecond:
/// "2020" is all of 2020, "2020-03-01T10:00" one minute. Values without a zone are read in the region time zone.
/// Stored values and search values both go through here, so their ranges compare consistently.
/// </summary>
public static partial class DateRange
{
    public static bool TryParse(string value, TimeZoneInfo zone, out DateTimeOffset low, out DateTimeOffset high)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(zone);
        low = high = default;
        Match m = Pattern().Match(value);
        if (!m.Success)
        {
            return false;
        }

        int year = Int(m, "y");
        int month = m.Groups["M"].Success ? Int(m, "M") : 1;
        int day = m.Groups["d"].Success ? Int(m, "d") : 1;
        int hour = m.Groups["h"].Success ? Int(m, "h") : 0;
        int minute = m.Groups["m"].Success ? Int(m, "m") : 0;
        int second = m.Groups["s"].Success ? Int(m, "s") : 0;
        string fraction = m.Groups["f"].Value;
        if (year < 1 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        int millis = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        var local = new DateTime(year, month, day, hour, minute, second, millis, DateTimeKind.Unspecified);

        TimeSpan offset;
        if (m.Groups["z"].Success)
        {
            string z = m.Groups["z"].Value;
            offset = z == "Z"
                ? TimeSpan.Zero
                : new TimeSpan(int.Parse(z.AsSpan(1, 2), CultureInfo.InvariantCulture), int.Parse(z.AsSpan(4, 2), CultureInfo.InvariantCulture), 0)
                    * (z[0] == '-' ? -1 : 1);
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        DateTime end = !m.Groups["M"].Success ? local.AddYears(1)
            : !m.Groups["d"].Success ? local.AddMonths(1)
            : !m.Groups["h"].Success ? local.AddDays(1)
            : !m.Groups["s"].Success ? local.AddMinutes(1)
            : fraction.Length == 0 ? local.AddSeconds(1)
            : local.AddMilliseconds(fraction.Length >= 3 ? 1 : fraction.Length == 2 ? 10 : 100);

        try
        {
            low = new DateTimeOffset(local, offset);
            high = new DateTimeOffset(end, m.Groups["z"].Success ? offset : zone.GetUtcOffset(end)).AddMilliseconds(-1);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }

        return true;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>\d{4})(-(?<M>\d{2})(-(?<d>\d{2})(T(?<h>\d{2}):(?<m>\d{2})(:(?<s>\d{2})(\.(?<f>\d{1,9}))?)?(?<z>Z|[+-]\d{2}:\d{2})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
