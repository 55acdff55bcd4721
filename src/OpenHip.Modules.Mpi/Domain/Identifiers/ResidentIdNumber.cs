using System.Globalization;

namespace OpenHip.Modules.Mpi.Domain.Identifiers;

/// <summary>
/// A parsed GB 11643-1999 citizen identity number: 6-digit division code (GB/T 2260), birth date yyyyMMdd,
/// 3-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check character. The 15-digit legacy form (two-digit
/// year, no check character) is converted to 18 digits on parsing. A number with problems is kept, flagged.
/// </summary>
internal readonly record struct ResidentIdNumber(
    string Value,
    ResidentIdProblems Problems,
    DateOnly? BirthDate,
    AdministrativeSex Sex,
    bool ConvertedFromLegacy)
{
    /// <summary>Valid numbers are strong evidence; a flagged one only weak evidence.</summary>
    public bool IsValid => Problems == ResidentIdProblems.None;

    /// <summary>The GB/T 2260 division of first issue (historic codes stay in the number for life).</summary>
    public string DivisionCode => Value.Length >= 6 ? Value[..6] : string.Empty;

    /// <summary>
    /// Parses a number as written: spaces and hyphens are ignored, a lowercase x is read as X. Birth dates after
    /// <paramref name="today"/> are impossible.
    /// </summary>
    public static ResidentIdNumber Parse(string raw, DateOnly today)
    {
        string compact = Compact(raw);
        bool legacy = compact.Length == 15 && IsDigits(compact);
        if (legacy)
        {
            compact = FromLegacy(compact);
        }

        if (compact.Length != 18 || !IsDigits(compact.AsSpan(0, 17)) || !(char.IsAsciiDigit(compact[17]) || compact[17] == 'X'))
        {
            return new ResidentIdNumber(compact, ResidentIdProblems.Malformed, null, AdministrativeSex.Unknown, legacy);
        }

        ResidentIdProblems problems = ResidentIdProblems.None;
        if (Mod11Check.CheckCharacter(compact.AsSpan(0, 17)) != compact[17])
        {
            problems |= ResidentIdProblems.BadCheckDigit;
        }

        if (!DivisionCodes.IsPlausibleIdPrefix(compact.AsSpan(0, 2)))
        {
            problems |= ResidentIdProblems.UnknownRegion;
        }

        DateOnly? birth = null;
        if (DateOnly.TryParseExact(compact.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed)
            && parsed.Year >= 1850 && parsed <= today)
        {
            birth = parsed;
        }
        else
        {
            problems |= ResidentIdProblems.ImpossibleBirthDate;
        }

        AdministrativeSex sex = (compact[16] - '0') % 2 == 1 ? AdministrativeSex.Male : AdministrativeSex.Female;
        return new ResidentIdNumber(compact, problems, birth, sex, legacy);
    }

    /// <summary>
    /// Adds the record's own birth date and sex to the problems: a number that disagrees with them is someone
    /// else's or mis-keyed, and must not carry a match on its own.
    /// </summary>
    public ResidentIdNumber CheckedAgainst(DateOnly? recordBirthDate, AdministrativeSex recordSex)
    {
        ResidentIdProblems problems = Problems;
        if (BirthDate is { } encoded && recordBirthDate is { } recorded && encoded != recorded)
        {
            problems |= ResidentIdProblems.BirthDateMismatch;
        }

        if ((Problems & ResidentIdProblems.Malformed) == 0 && recordSex != AdministrativeSex.Unknown && recordSex != Sex)
        {
            problems |= ResidentIdProblems.SexMismatch;
        }

        return this with { Problems = problems };
    }

    /// <summary>
    /// 15-digit legacy numbers (issued 1984-1999) have a two-digit year; everyone holding one was born in the
    /// 1900s (the 18-digit form replaced it before anyone born in 2000 was issued a card).
    /// </summary>
    public static string FromLegacy(string fifteen)
    {
        string body = string.Concat(fifteen.AsSpan(0, 6), "19", fifteen.AsSpan(6));
        return body + Mod11Check.CheckCharacter(body);
    }

    private static string Compact(string raw)
    {
        Span<char> buffer = raw.Length <= 64 ? stackalloc char[raw.Length] : new char[raw.Length];
        int n = 0;
        foreach (char c in raw)
        {
            if (c is ' ' or '-' or '\t' or '\u3000')
            {
                continue;
            }

            buffer[n++] = c == 'x' ? 'X' : c;
        }

        return new string(buffer[..n]);
    }

    private static bool IsDigits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');
}
