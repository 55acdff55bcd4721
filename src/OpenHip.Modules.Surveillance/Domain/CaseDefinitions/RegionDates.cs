using System.Globalization;

namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// The calendar day of a FHIR date or dateTime in the region time zone: a date without a time is that day as written
/// (clinicians record onset dates in local time), a partial date its first day, an instant is converted.
/// </summary>
internal static class RegionDates
{
    public static DateOnly? DayOf(string? value, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length <= 10)
        {
            string padded = value.Length switch
            {
                4 => value + "-01-01",
                7 => value + "-01",
                _ => value,
            };
            return DateOnly.TryParseExact(padded, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) ? day : null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset instant))
        {
            return null;
        }

        // A dateTime without an offset is not valid FHIR; read as region time it does the least harm.
        if (!HasOffset(value))
        {
            return DateOnly.FromDateTime(instant.UtcDateTime);
        }

        return DayOf(instant, zone);
    }

    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static bool HasOffset(string value) => value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10;
}
