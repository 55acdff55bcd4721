using OpenHip.Modules.Mpi.Domain.Comparison;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using static OpenHip.Modules.Mpi.Domain.Matching.FieldLevels;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Computes the comparison vector of a pair: one level per <see cref="ComparedField"/>. This is the hot loop of
/// matching, so it allocates nothing (spans and stack buffers only) and skips the costly measures on equality.
/// </summary>
internal static class PairComparer
{
    public static void Compare(PersonRecord a, PersonRecord b, Span<byte> levels)
    {
        levels[(int)ComparedField.NationalId] = CompareNationalId(a, b);
        levels[(int)ComparedField.OtherId] = CompareOtherIds(a.OtherIds, b.OtherIds);
        levels[(int)ComparedField.Family] = CompareName(a.Family, a.HanFamily, b.Family, b.HanFamily, a.Given, b.Given);
        levels[(int)ComparedField.Given] = CompareName(a.Given, a.HanGiven, b.Given, b.HanGiven, a.Family, b.Family);
        levels[(int)ComparedField.BirthDate] = (byte)BirthDates.Compare(a.BirthDate, b.BirthDate);
        levels[(int)ComparedField.Sex] = a.Sex == AdministrativeSex.Unknown || b.Sex == AdministrativeSex.Unknown ? (byte)0
            : a.Sex == b.Sex ? Same : Different;
        levels[(int)ComparedField.Phone] = CompareCode(a.Phone, b.Phone);
        levels[(int)ComparedField.HouseNumber] = CompareCode(a.HouseNumber, b.HouseNumber);
        levels[(int)ComparedField.AddressLine] = CompareText(a.AddressLine, b.AddressLine, a.AddressLine2, b.AddressLine2);
        levels[(int)ComparedField.AddressLine2] = CompareText(a.AddressLine2, b.AddressLine2, a.AddressLine, b.AddressLine);
        levels[(int)ComparedField.Locality] = CompareText(a.Locality, b.Locality, string.Empty, string.Empty);
        levels[(int)ComparedField.PostalCode] = CompareCode(a.PostalCode, b.PostalCode);
        levels[(int)ComparedField.Region] = a.Region.Length == 0 || b.Region.Length == 0 ? (byte)0
            : a.Region == b.Region ? Same : Different;
        levels[(int)ComparedField.DivisionCode] = CompareDivision(a.DivisionCode, b.DivisionCode);
    }

    /// <summary>Packs a vector 4 bits per field, for counting patterns.</summary>
    public static ulong Pack(ReadOnlySpan<byte> levels)
    {
        ulong packed = 0;
        for (int f = 0; f < FieldCount; f++)
        {
            packed |= (ulong)levels[f] << (4 * f);
        }

        return packed;
    }

    public static byte Level(ulong packed, int field) => (byte)((packed >> (4 * field)) & 0xF);

    private static byte CompareNationalId(PersonRecord a, PersonRecord b)
    {
        byte level = CompareCode(a.NationalId, b.NationalId);
        return level == CodeDifferent && a.NationalIdValid && b.NationalIdValid ? IdDifferentBothValid : level;
    }

    private static byte CompareCode(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return CodeExact;
        }

        return StringSimilarity.WithinOneEdit(a, b) ? CodeOneError : CodeDifferent;
    }

    /// <summary>Exact within a shared system; a keying error within it; different; or nothing in common (missing).</summary>
    private static byte CompareOtherIds(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        byte best = 0;
        for (int i = 0; i < a.Count; i++)
        {
            ReadOnlySpan<char> x = a[i];
            int bar = x.IndexOf('|');
            for (int j = 0; j < b.Count; j++)
            {
                ReadOnlySpan<char> y = b[j];
                if (bar < 0 || y.Length <= bar || y[bar] != '|' || !x[..bar].SequenceEqual(y[..bar]))
                {
                    continue;
                }

                byte level = x.SequenceEqual(y) ? CodeExact
                    : StringSimilarity.WithinOneEdit(x[(bar + 1)..], y[(bar + 1)..]) ? CodeOneError : CodeDifferent;
                if (best == 0 || level < best)
                {
                    best = level;
                }
            }
        }

        return best;
    }

    private static byte CompareName(string a, string hanA, string b, string hanB, string otherA, string otherB)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        bool bothHan = hanA.Length > 0 && hanB.Length > 0;
        if (bothHan ? hanA == hanB : a == b)
        {
            return NameExact;
        }

        // Latin letters here are pinyin for Han names: equal pinyin of different characters is a homophone.
        if (bothHan && a == b)
        {
            return NameHomophone;
        }

        double jw = StringSimilarity.JaroWinkler(a, b);
        if (jw >= 0.94)
        {
            return NameClose;
        }

        // Family and given name exchanged (Han names written in Western order, forms filled in the wrong box),
        // allowing one keying error; linear, so cheap enough to try on every differing pair.
        if ((otherB.Length > 0 && StringSimilarity.WithinOneEdit(a, otherB)) || (otherA.Length > 0 && StringSimilarity.WithinOneEdit(otherA, b)))
        {
            return NameSwapped;
        }

        return jw >= 0.88 ? NameSimilar : jw >= 0.80 ? NameLoose : NameDifferent;
    }

    /// <summary>
    /// Free text; <paramref name="otherA"/>/<paramref name="otherB"/> are the records' other address line, for
    /// lines written in the other order (building before street). A line missing on one side still counts as
    /// swapped when it equals the other side's other line.
    /// </summary>
    private static byte CompareText(string a, string b, string otherA, string otherB)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return TextExact;
        }

        double jw = a.Length == 0 || b.Length == 0 ? 0 : StringSimilarity.JaroWinkler(a, b);
        if (jw >= 0.92)
        {
            return TextClose;
        }

        if ((otherB.Length > 0 && a.Length > 0 && StringSimilarity.JaroWinkler(a, otherB) >= 0.92)
            || (otherA.Length > 0 && b.Length > 0 && StringSimilarity.JaroWinkler(otherA, b) >= 0.92))
        {
            return TextSwapped;
        }

        return a.Length == 0 || b.Length == 0 ? (byte)0 : jw >= 0.80 ? TextSimilar : TextDifferent;
    }

    private static byte CompareDivision(string a, string b)
    {
        if (a.Length < 6 || b.Length < 6)
        {
            return 0;
        }

        return DivisionCodes.SharedLevels(a, b) switch
        {
            >= 3 => 1,
            2 => 2,
            1 => 3,
            _ => 4,
        };
    }
}
