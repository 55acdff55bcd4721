using OpenHip.Modules.Mpi.Domain.Names;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The blocking keys: a pair is scored only when the two records share at least one key. Several independent
/// passes, so that one field with an error (or missing) does not hide a true pair: identifiers, phone, birth
/// date, names with the birth year, address. Each key is prefixed with its pass so passes never collide.
/// </summary>
/// <remarks>
/// Names key by sound. A Han name keys by its pinyin, which homophones and variant characters share and which is
/// precise enough for a population where a handful of surnames cover half the people; a Latin name keys both by
/// its Soundex (typos) and as written, so that a pinyin-only record still meets the Han-named records of the
/// same person.
/// </remarks>
internal static class BlockingPasses
{
    public static IEnumerable<string> Keys(PersonRecord r)
    {
        string year = r.BirthDate.Length == 8 ? r.BirthDate[..4] : string.Empty;
        string[] families = NameKeys(r.Family, r.HanFamily);
        string[] givens = NameKeys(r.Given, r.HanGiven);
        string locality = PhoneticKey(r.Locality);

        // With a place, a family name alone is too common a key (王 in one district): the given initial narrows it.
        string initial = givens.Length > 0 ? char.ToLowerInvariant(givens[0][0]).ToString() : string.Empty;

        if (r.NationalId.Length > 0)
        {
            yield return "id:" + r.NationalId;
        }

        foreach (string other in r.OtherIds)
        {
            yield return "oid:" + other;
        }

        if (r.Phone.Length > 0)
        {
            yield return "tel:" + r.Phone;
        }

        if (r.BirthDate.Length > 0)
        {
            yield return "dob:" + r.BirthDate;

            // Sorted digits: every transposition within the date meets its original; with a name initial, so
            // that the block stays small.
            char[] digits = r.BirthDate.ToCharArray();
            Array.Sort(digits);
            foreach (string name in families.Concat(givens))
            {
                yield return "ds:" + new string(digits) + name[0];
            }
        }

        foreach (string family in families)
        {
            if (year.Length > 0)
            {
                yield return "fy:" + family + year;
            }

            // Sorted so that exchanged family and given names still meet.
            foreach (string given in givens)
            {
                yield return "fg:" + (string.CompareOrdinal(family, given) < 0 ? family + "/" + given : given + "/" + family);
            }

            // The division code says it better where there is one (Chinese postcodes cover whole districts).
            if (r.PostalCode.Length > 0 && r.DivisionCode.Length == 0)
            {
                yield return "pf:" + r.PostalCode + family + initial;
            }

            if (locality.Length > 0)
            {
                yield return "fl:" + family + initial + locality;
            }

            if (r.DivisionCode.Length >= 6)
            {
                yield return "df:" + r.DivisionCode[..6] + family + initial;
            }
        }

        foreach (string given in givens)
        {
            if (year.Length > 0)
            {
                yield return "gy:" + given + year;
            }

            if (locality.Length > 0)
            {
                yield return "gl:" + given + locality;
            }
        }

        if (r.PostalCode.Length > 0 && r.HouseNumber.Length > 0)
        {
            yield return "ph:" + r.PostalCode + "/" + r.HouseNumber;
        }

        if (r.Locality.Length > 0 && r.HouseNumber.Length > 0)
        {
            yield return "lh:" + r.Locality + "/" + r.HouseNumber;
        }

        // Both address lines, so that lines written in the other order still meet.
        foreach (string line in new[] { PhoneticKey(r.AddressLine), PhoneticKey(r.AddressLine2) })
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (locality.Length > 0)
            {
                yield return "al:" + line + locality;
            }

            foreach (string given in givens)
            {
                yield return "ag:" + line + given;
            }

            if (r.HouseNumber.Length > 0)
            {
                yield return "ah:" + line + "/" + r.HouseNumber;
            }
        }
    }

    /// <summary>FNV-1a over the key's UTF-16 units: collisions only add a candidate, which scoring then dismisses.</summary>
    public static ulong Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong hash = 14695981039346656037UL;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static string[] NameKeys(string latin, string han)
    {
        if (latin.Length == 0)
        {
            return [];
        }

        if (han.Length > 0)
        {
            return [latin];
        }

        string soundex = LatinNames.Soundex(latin);
        return soundex.Length == 0 || soundex == latin ? [latin] : [soundex, latin];
    }

    /// <summary>Soundex of Latin text; Han (or other) text is its own key, cut to eight characters.</summary>
    private static string PhoneticKey(string text)
    {
        string soundex = LatinNames.Soundex(text);
        return soundex.Length > 0 || text.Length == 0 ? soundex : text[..Math.Min(8, text.Length)];
    }
}
