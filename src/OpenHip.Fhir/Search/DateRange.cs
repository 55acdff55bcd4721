namespace OpenHip.Fhir.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the inclusive instant range its precision covers, to the millisecond:
/// "2020" is all of 2020, "2020-03-01T10:00" one minute. Values without a zone are read in the region time zone.
/// Stored values and search values both go through here, so their ranges compare consistently.
/// </summary>
/// <remarks>
/// Accepts <c>YYYY[-MM[-DD[Thh:mm[:ss[.f{1,9}]][Z|±hh:mm]]]]</c> in ASCII digits. Parsed by hand: every indexed date
/// passes here, and a regular expression with named groups cost more than the rest of a resource's date indexing.
/// </remarks>
public static class DateRange
{
    public static bool TryParse(string value, TimeZoneInfo zone, out DateTimeOffset low, out DateTimeOffset high)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(zone);
        low = high = default;
        if (!TryRead(value, out Parts parts)
            || parts.Year < 1 || parts.Month is < 1 or > 12 || parts.Hour > 23 || parts.Minute > 59 || parts.Second > 59
            || parts.Day < 1 || parts.Day > DateTime.DaysInMonth(parts.Year, parts.Month))
        {
            return false;
        }

        var local = new DateTime(parts.Year, parts.Month, parts.Day, parts.Hour, parts.Minute, parts.Second, parts.Millisecond, DateTimeKind.Unspecified);
        try
        {
            low = new DateTimeOffset(local, parts.Offset ?? zone.GetUtcOffset(local));
        }
        catch (ArgumentOutOfRangeException)
        {
            // An offset beyond ±14:00, or a local time that is out of range in UTC.
            return false;
        }

        high = End(local, parts) is { } end ? new DateTimeOffset(end, parts.Offset ?? zone.GetUtcOffset(end)).AddMilliseconds(-1) : DateTimeOffset.MaxValue;
        return true;
    }

    /// <summary>The first instant after the range, in local time; null when that is past year 9999 ("9999-12-31" runs to the end of time).</summary>
    private static DateTime? End(DateTime local, Parts parts)
    {
        try
        {
            return parts.Precision switch
            {
                Precision.Year => local.AddYears(1),
                Precision.Month => local.AddMonths(1),
                Precision.Day => local.AddDays(1),
                Precision.Minute => local.AddMinutes(1),
                Precision.Second => local.AddSeconds(1),
                _ => local.AddMilliseconds(parts.FractionDigits >= 3 ? 1 : parts.FractionDigits == 2 ? 10 : 100),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool TryRead(ReadOnlySpan<char> s, out Parts parts)
    {
        parts = new Parts { Month = 1, Day = 1 };
        if (!Digits(s, 0, 4, out parts.Year))
        {
            return false;
        }

        if (s.Length == 4)
        {
            return true;
        }

        if (s[4] != '-' || !Digits(s, 5, 2, out parts.Month))
        {
            return false;
        }

        parts.Precision = Precision.Month;
        if (s.Length == 7)
        {
            return true;
        }

        if (s[7] != '-' || !Digits(s, 8, 2, out parts.Day))
        {
            return false;
        }

        parts.Precision = Precision.Day;
        if (s.Length == 10)
        {
            return true;
        }

        if (s[10] != 'T' || !Digits(s, 11, 2, out parts.Hour) || s.Length < 16 || s[13] != ':' || !Digits(s, 14, 2, out parts.Minute))
        {
            return false;
        }

        parts.Precision = Precision.Minute;
        int at = 16;
        if (at < s.Length && s[at] == ':')
        {
            if (!Digits(s, at + 1, 2, out parts.Second))
            {
                return false;
            }

            parts.Precision = Precision.Second;
            at += 3;
            if (at < s.Length && s[at] == '.')
            {
                int start = ++at;
                while (at < s.Length && char.IsAsciiDigit(s[at]))
                {
                    at++;
                }

                parts.FractionDigits = at - start;
                if (parts.FractionDigits is 0 or > 9)
                {
                    return false;
                }

                parts.Precision = Precision.Fraction;
                for (int i = 0; i < 3; i++)
                {
                    parts.Millisecond = (parts.Millisecond * 10) + (i < parts.FractionDigits ? s[start + i] - '0' : 0);
                }
            }
        }

        return TryReadZone(s[at..], ref parts);
    }

    private static bool TryReadZone(ReadOnlySpan<char> s, ref Parts parts)
    {
        if (s.IsEmpty)
        {
            return true;
        }

        if (s is "Z")
        {
            parts.Offset = TimeSpan.Zero;
            return true;
        }

        if (s.Length != 6 || s[0] is not ('+' or '-') || s[3] != ':' || !Digits(s, 1, 2, out int hours) || !Digits(s, 4, 2, out int minutes))
        {
            return false;
        }

        parts.Offset = new TimeSpan(hours, minutes, 0) * (s[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private enum Precision
    {
        Year,
        Month,
        Day,
        Minute,
        Second,
        Fraction,
    }

    private struct Parts
    {
        public int Year;
        public int Month;
        public int Day;
        public int Hour;
        public int Minute;
        public int Second;
        public int Millisecond;
        public int FractionDigits;
        public Precision Precision;
        public TimeSpan? Offset;
    }
}
