namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// GB/T 2260 division codes: the province-level prefixes, and how far two codes agree (province, city, county).
/// </summary>
internal static class DivisionCodes
{
    // The 31 mainland provinces plus 71 Taiwan, 81 Hong Kong, 82 Macau (GB/T 2260); 83 heads the residence
    // permits of Taiwan residents, and 9 the 2023 foreigner permanent-residence card, both with GB 11643 layout.
    private static readonly HashSet<int> ProvincePrefixes =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
        61, 62, 63, 64, 65, 71, 81, 82, 83,
    ];

    public static bool IsPlausibleIdPrefix(ReadOnlySpan<char> twoDigits)
    {
        int code = ((twoDigits[0] - '0') * 10) + (twoDigits[1] - '0');
        return ProvincePrefixes.Contains(code) || twoDigits[0] == '9';
    }

    /// <summary>
    /// How many leading levels two codes share: 0 none, 1 province (2 digits), 2 city (4), 3 county (6),
    /// 4 township (9). A code that stops at a level (e.g. 330000 for the province itself) stops agreement there.
    /// </summary>
    public static int SharedLevels(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int levels = 0;
        int start = 0;
        for (int end = 2; end <= 9; end = end == 6 ? 9 : end + 2)
        {
            if (a.Length < end || b.Length < end || !a[start..end].SequenceEqual(b[start..end]) || IsZeros(a[start..end]))
            {
                break;
            }

            levels++;
            start = end;
        }

        return levels;
    }

    private static bool IsZeros(ReadOnlySpan<char> s) => !s.ContainsAnyExcept('0');
}
