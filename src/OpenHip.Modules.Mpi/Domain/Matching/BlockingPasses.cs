using OpenHip.Modules.Mpi.Domain.Names;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The blocking keys: a pair is scored only when the two records share at least one key. Several independent
/// passes, so that one field with an error (or missing) does not hide a true pair: identifiers, phone, birth
/// date, phonetic names with the birth year, address. Each key is prefixed with its pass so passes never collide.
/// </summary>
internal static class BlockingPasses
{
    public static IEnumerable<string> Keys(PersonRecord r)
    {
        string year = r.BirthDate.Length == 8 ? r.BirthDate[..4] : string.Empty;
        string family = LatinNames.Soundex(r.Family);
        string given = LatinNames.Soundex(r.Given);
        string locality = PhoneticKey(r.Locality);
        string line1 = PhoneticKey(r.AddressLine);
        string line2 = PhoneticKey(r.AddressLine2);

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
        }

        if (family.Length > 0 && year.Length > 0)
        {
            yield return "fy:" + family + year;
        }

        if (given.Length > 0 && year.Length > 0)
        {
            yield return "gy:" + given + year;
        }

        // Sorted so that exchanged family and given names still meet.
        if (family.Length > 0 && given.Length > 0)
        {
            yield return "fg:" + (string.CompareOrdinal(family, given) < 0 ? family + given : given + family);
        }

        if (r.HanFamily.Length > 0 && r.HanGiven.Length > 0)
        {
            yield return "han:" + r.HanFamily + r.HanGiven;
        }

        if (r.PostalCode.Length > 0 && r.HouseNumber.Length > 0)
        {
            yield return "ph:" + r.PostalCode + "/" + r.HouseNumber;
        }

        if (r.PostalCode.Length > 0 && family.Length > 0)
        {
            yield return "pf:" + r.PostalCode + family;
        }

        if (r.Locality.Length > 0 && given.Length > 0)
        {
            yield return "lg:" + r.Locality + "/" + given;
        }

        if (r.BirthDate.Length == 8)
        {
            // Sorted digits: every transposition within the date meets its original.
            char[] digits = r.BirthDate.ToCharArray();
            Array.Sort(digits);
            yield return "ds:" + new string(digits);
        }

        if (locality.Length > 0)
        {
            if (family.Length > 0)
            {
                yield return "fl:" + family + locality;
            }

            if (given.Length > 0)
            {
                yield return "gl:" + given + locality;
            }
        }

        if (r.Locality.Length > 0 && r.HouseNumber.Length > 0)
        {
            yield return "lh:" + r.Locality + "/" + r.HouseNumber;
        }

        // Both address lines, so that lines written in the other order still meet.
        foreach (string line in new[] { line1, line2 })
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (locality.Length > 0)
            {
                yield return "al:" + line + locality;
            }

            if (given.Length > 0)
            {
                yield return "ag:" + line + given;
            }

            if (r.HouseNumber.Length > 0)
            {
                yield return "ah:" + line + "/" + r.HouseNumber;
            }
        }

        if (r.DivisionCode.Length >= 6 && family.Length > 0)
        {
            yield return "df:" + r.DivisionCode[..6] + family;
        }
    }

    /// <summary>Soundex of Latin text; Han (or other) text is its own key, cut to eight characters.</summary>
    private static string PhoneticKey(string text)
    {
        string soundex = LatinNames.Soundex(text);
        return soundex.Length > 0 || text.Length == 0 ? soundex : text[..Math.Min(8, text.Length)];
    }
}
