using OpenHip.Modules.Mpi.Domain.Comparison;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Names;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Normalises <see cref="Demographics"/> into the <see cref="PersonRecord"/> the matcher compares. A Han name wins
/// over a Latin one (its pinyin is derived here, with surname readings, so every record spells it alike); the
/// resident ID number is checked against the record's own birth date and sex before it counts as valid.
/// </summary>
internal static class PersonRecordBuilder
{
    public static PersonRecord Build(Demographics d, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(d);
        string birthDate = BirthDates.Digits(d.BirthDate);
        (string family, string given, string hanFamily, string hanGiven) = Name(d.Names);

        string nationalId = string.Empty;
        bool nationalIdValid = false;
        var others = new List<string>();
        foreach (RawIdentifier raw in d.Identifiers)
        {
            ClassifiedIdentifier id = IdentifierClassifier.Classify(raw, today);
            if (id.Kind == IdentifierKind.ResidentId && id.ResidentId is { } resident)
            {
                ResidentIdNumber checkedId = resident.CheckedAgainst(ParseDate(birthDate), d.Sex);

                // A valid number beats a flagged one when a record carries two.
                if (nationalId.Length == 0 || (checkedId.IsValid && !nationalIdValid))
                {
                    nationalId = checkedId.Value;
                    nationalIdValid = checkedId.IsValid;
                }
            }
            else if (id.Value.Length > 0)
            {
                others.Add(id.System + "|" + id.Value);
            }
        }

        AddressParts? address = d.Addresses.Count > 0 ? d.Addresses[0] : null;
        return new PersonRecord
        {
            Id = d.Id,
            Source = d.Source,
            Family = family,
            Given = given,
            HanFamily = hanFamily,
            HanGiven = hanGiven,
            BirthDate = birthDate,
            Sex = d.Sex,
            Phone = d.Phones.Select(PhoneNumbers.Normalize).FirstOrDefault(p => p.Length > 0) ?? string.Empty,
            AddressLine = address is null ? string.Empty : Text(string.Join(' ', address.Lines)),
            Locality = Text(address?.District ?? address?.City),
            PostalCode = address?.PostalCode?.Trim() ?? string.Empty,
            Region = Text(address?.State),
            DivisionCode = address?.DivisionCode?.Trim() ?? string.Empty,
            NationalId = nationalId,
            NationalIdValid = nationalIdValid,
            OtherIds = others,
        };
    }

    private static (string Family, string Given, string HanFamily, string HanGiven) Name(IReadOnlyList<NameParts> names)
    {
        NameParts? han = names.FirstOrDefault(n => HanNames.ContainsHan(n.Text ?? string.Empty) || HanNames.ContainsHan(n.Family ?? string.Empty));
        if (han is not null)
        {
            (string familyHan, string givenHan) = SplitHan(han);
            return (HanNames.SurnamePinyin(familyHan), HanNames.CustomaryPinyin(givenHan), HanNames.Fold(familyHan), HanNames.Fold(givenHan));
        }

        NameParts? latin = names.Count > 0 ? names[0] : null;
        if (latin is null)
        {
            return (string.Empty, string.Empty, string.Empty, string.Empty);
        }

        string family = LatinNames.Normalize(latin.Family);
        string given = LatinNames.Normalize(string.Join(' ', latin.Given));
        if (family.Length == 0 && given.Length == 0)
        {
            // Only a full text: the last word is the family name in Western order.
            string text = LatinNames.Normalize(latin.Text);
            int space = text.LastIndexOf(' ');
            (given, family) = space < 0 ? (string.Empty, text) : (text[..space], text[(space + 1)..]);
        }

        return (family, given, string.Empty, string.Empty);
    }

    /// <summary>
    /// Family and given part of a Han name; from the text alone, a known compound surname takes two characters
    /// (欧阳锋 = 欧阳 + 锋), any other surname one.
    /// </summary>
    private static (string Family, string Given) SplitHan(NameParts name)
    {
        if (!string.IsNullOrWhiteSpace(name.Family))
        {
            string given = string.Concat(name.Given);
            if (given.Length == 0 && name.Text is { } text && HanNames.Fold(text).StartsWith(HanNames.Fold(name.Family), StringComparison.Ordinal))
            {
                given = HanNames.Fold(text)[HanNames.Fold(name.Family).Length..];
            }

            return (name.Family, given);
        }

        string folded = HanNames.Fold(name.Text ?? string.Empty);
        int surnameLength = folded.Length > 2 && HanTables.Shared.SurnameReadings(folded[..2]) is not null ? 2 : 1;
        return folded.Length <= surnameLength ? (folded, string.Empty) : (folded[..surnameLength], folded[surnameLength..]);
    }

    private static string Text(string? value) =>
        value is null ? string.Empty : HanNames.ContainsHan(value) ? HanNames.Fold(value) : LatinNames.Normalize(value);

    private static DateOnly? ParseDate(string digits) =>
        DateOnly.TryParseExact(digits, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly d) ? d : null;
}
