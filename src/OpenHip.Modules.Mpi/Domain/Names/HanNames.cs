using System.Text;

namespace OpenHip.Modules.Mpi.Domain.Names;

/// <summary>
/// Han names as the matcher compares them: folded to simplified characters, and spelled in pinyin. The surname
/// is read with its surname reading (单 Shan, not Dan); given-name characters with their customary reading.
/// </summary>
internal static class HanNames
{
    /// <summary>True when the text has at least one Han character (so it is compared as Han, not Latin).</summary>
    public static bool ContainsHan(string text)
    {
        foreach (Rune r in text.EnumerateRunes())
        {
            if (HanTables.IsHan(r))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Simplified characters only, without spaces or the middle dots of transcribed minority names.</summary>
    public static string Fold(string text)
    {
        HanTables tables = HanTables.Shared;
        var sb = new StringBuilder(text.Length);
        foreach (Rune r in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(r) || r.Value is '·' or '•' or '\u30FB' or '.')
            {
                continue;
            }

            sb.Append(tables.Fold(r));
        }

        return sb.ToString();
    }

    /// <summary>The customary pinyin of a surname, syllables run together ("shan", "yuchi").</summary>
    public static string SurnamePinyin(string surname) => string.Concat(SurnameReadings(surname)[0].Split(' '));

    /// <summary>
    /// Every plausible reading of a surname: the surname table's readings for known polyphonic or compound
    /// surnames, otherwise the customary reading of each character.
    /// </summary>
    public static IReadOnlyList<string> SurnameReadings(string surname)
    {
        string folded = Fold(surname);
        return HanTables.Shared.SurnameReadings(folded) ?? [CustomaryPinyin(folded, " ")];
    }

    /// <summary>The customary reading of each character, joined by <paramref name="separator"/>; non-Han runes kept as they are.</summary>
    public static string CustomaryPinyin(string text, string separator = "")
    {
        HanTables tables = HanTables.Shared;
        var parts = new List<string>(text.Length);
        foreach (Rune r in Fold(text).EnumerateRunes())
        {
            IReadOnlyList<string> readings = tables.Readings(r);
            parts.Add(readings.Count > 0 ? readings[0] : r.ToString());
        }

        return string.Join(separator, parts);
    }

    /// <summary>
    /// True when the two names can be read alike: same length and, character by character, some reading in
    /// common (the clerk who keys 王明 as 王铭 from speech). Surnames use their surname readings too.
    /// </summary>
    public static bool AreHomophones(string a, string b)
    {
        HanTables tables = HanTables.Shared;
        string fa = Fold(a);
        string fb = Fold(b);
        if (fa.Length != fb.Length)
        {
            return false;
        }

        StringRuneEnumerator eb = fb.EnumerateRunes();
        foreach (Rune ra in fa.EnumerateRunes())
        {
            eb.MoveNext();
            Rune rb = eb.Current;
            if (ra != rb && !tables.Readings(ra).Intersect(tables.Readings(rb), StringComparer.Ordinal).Any())
            {
                return false;
            }
        }

        return true;
    }
}
