namespace OpenHip.Modules.Mpi.Domain.Comparison;

/// <summary>
/// Birth dates compared as their eight yyyyMMdd digits, so that invalid dates as keyed (19870230, OCR's l9770220)
/// still compare by what was written.
/// </summary>
internal static class BirthDates
{
    public static DateAgreement Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != 8 || b.Length != 8)
        {
            return DateAgreement.Missing;
        }

        if (a.SequenceEqual(b))
        {
            return DateAgreement.Exact;
        }

        if (StringSimilarity.IsAdjacentTransposition(a, b))
        {
            return DateAgreement.Transposed;
        }

        int differences = 0;
        for (int i = 0; i < 8; i++)
        {
            differences += a[i] != b[i] ? 1 : 0;
        }

        if (differences == 1)
        {
            return DateAgreement.OneDigit;
        }

        bool sameYear = a[..4].SequenceEqual(b[..4]);
        if (sameYear && a.Slice(4, 2).SequenceEqual(b.Slice(6, 2)) && a.Slice(6, 2).SequenceEqual(b.Slice(4, 2)))
        {
            return DateAgreement.DayMonthSwapped;
        }

        return sameYear ? DateAgreement.SameYear : DateAgreement.Different;
    }

    /// <summary>yyyyMMdd from a DateOnly, or from the digits of "yyyy-MM-dd" / "yyyyMMdd" text; empty when unusable.</summary>
    public static string Digits(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        Span<char> buffer = stackalloc char[8];
        int n = 0;
        foreach (char c in text)
        {
            if (c is '-' or '/' or '.' or ' ')
            {
                continue;
            }

            if (n == 8)
            {
                return string.Empty;
            }

            buffer[n++] = c;
        }

        return n == 8 ? new string(buffer) : string.Empty;
    }
}
