using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>
/// Writes one institution's Patient record for a resident, applying the record's labelled variations the way they
/// arise in real registration desks.
/// </summary>
internal sealed class PatientFactory(NameTables tables, double variationShare)
{
    private static readonly string[] Roads = ["凤起路", "庆春路", "体育场路", "莫干山路", "教工路", "延安路"];

    public (Patient Patient, string IdState, IReadOnlyList<string> Variations) Create(
        Resident resident, Institution institution, DeterministicRandom random)
    {
        List<string> variations = ChooseVariations(resident, random);
        PersonName name = resident.Name;
        string? idNumber = resident.IdNumber;
        string phone = resident.Phone;
        string addressLine = resident.AddressLine;
        Division home = resident.Home;
        bool pinyinOnly = false;

        foreach (string variation in variations)
        {
            switch (variation)
            {
                case IdentityVariations.MissingId:
                    idNumber = null;
                    break;
                case IdentityVariations.TransposedIdDigits:
                    idNumber = ResidentIdNumber.TransposeAdjacentDigits(idNumber!, random);
                    break;
                case IdentityVariations.HomophoneChar:
                case IdentityVariations.VariantChar:
                    name = ReplaceChar(name, variation == IdentityVariations.HomophoneChar ? "homophone" : "variant", random);
                    break;
                case IdentityVariations.SwappedGiven:
                    string given = name.Given[0];
                    name = name with { Given = [string.Concat(given[1], given[0])], GivenLatin = [tables.ToPinyin(string.Concat(given[1], given[0]))] };
                    break;
                case IdentityVariations.PinyinOnly:
                    pinyinOnly = true;
                    break;
                case IdentityVariations.ChangedPhone:
                    phone = string.Concat(phone.AsSpan(0, 3), random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture));
                    break;
                case IdentityVariations.ChangedAddress:
                    addressLine = string.Create(CultureInfo.InvariantCulture, $"{random.Pick(Roads)}{random.Next(1, 300)}号{random.Next(1, 20)}幢{random.Next(1, 20)}0{random.Next(1, 4)}室");
                    home = random.Pick(Geography.Counties);
                    break;
            }
        }

        var patient = new Patient
        {
            Identifier = [new Identifier(institution.MrnSystem, Mrn(resident.Index, institution)) { Type = FhirElements.IdentifierType("MR") }],
            Gender = resident.Male ? AdministrativeGender.Male : AdministrativeGender.Female,
            BirthDate = FhirElements.Date(resident.BirthDate),
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, phone)],
            Address = [Address(home, addressLine)],
            ManagingOrganization = FhirElements.Ref(institution.OrganizationReference),
        };

        if (idNumber is not null)
        {
            patient.Identifier.Add(new Identifier(FhirElements.ResidentIdSystem, idNumber) { Type = FhirElements.IdentifierType("NI") });
        }

        if (resident.PassportNumber is not null)
        {
            patient.Identifier.Add(new Identifier(FhirElements.PassportSystemPrefix + resident.Nationality, resident.PassportNumber)
            {
                Type = FhirElements.IdentifierType("PPN"),
            });
        }

        patient.Name = Names(name, pinyinOnly);
        string idState = resident.IdNumber is null ? "none"
            : idNumber is null ? "missing"
            : ResidentIdNumber.IsValid(idNumber) ? "valid" : "corrupted";
        return (patient, idState, variations);
    }

    /// <summary>
    /// Institution-local MRN: a bijective scramble of the resident index per institution, so MRNs are unique within
    /// an institution but say nothing about identity across institutions.
    /// </summary>
    public static string Mrn(int residentIndex, Institution institution)
    {
        ulong offset = 0;
        foreach (char c in institution.Id)
        {
            offset = (offset * 31) + c;
        }

        ulong value = (((ulong)residentIndex * 7_919_173UL) + offset) % 100_000_000UL;
        return institution.MrnPrefix + value.ToString("D8", CultureInfo.InvariantCulture);
    }

    private List<string> ChooseVariations(Resident resident, DeterministicRandom random)
    {
        var chosen = new List<string>(2);
        if (!random.Chance(variationShare))
        {
            return chosen;
        }

        var applicable = new List<string>(8) { IdentityVariations.ChangedPhone, IdentityVariations.ChangedAddress };
        if (resident.IdNumber is not null)
        {
            applicable.Add(IdentityVariations.MissingId);
            applicable.Add(IdentityVariations.TransposedIdDigits);
        }

        if (resident.Name.Style != NameStyle.Latin)
        {
            applicable.Add(IdentityVariations.PinyinOnly);
        }

        if (resident.Name.Style == NameStyle.Han)
        {
            string text = resident.Name.Text;
            if (tables.Variants.Any(v => v.Kind == "homophone" && text.Contains(v.Char, StringComparison.Ordinal)))
            {
                applicable.Add(IdentityVariations.HomophoneChar);
            }

            if (tables.Variants.Any(v => v.Kind == "variant" && text.Contains(v.Char, StringComparison.Ordinal)))
            {
                applicable.Add(IdentityVariations.VariantChar);
            }

            if (resident.Name.Given[0].Length == 2 && resident.Name.Given[0][0] != resident.Name.Given[0][1])
            {
                applicable.Add(IdentityVariations.SwappedGiven);
            }
        }

        chosen.Add(random.Pick(applicable));
        if (random.Chance(0.1))
        {
            string second = random.Pick(applicable);
            bool clashes = second == chosen[0]
                || (second is IdentityVariations.MissingId or IdentityVariations.TransposedIdDigits
                    && chosen[0] is IdentityVariations.MissingId or IdentityVariations.TransposedIdDigits);
            if (!clashes)
            {
                chosen.Add(second);
            }
        }

        // A fixed order keeps labels comparable and makes the name edits compose predictably.
        chosen.Sort(StringComparer.Ordinal);
        return chosen;
    }

    private PersonName ReplaceChar(PersonName name, string kind, DeterministicRandom random)
    {
        var options = tables.Variants.Where(v => v.Kind == kind && name.Text.Contains(v.Char, StringComparison.Ordinal)).ToArray();
        if (options.Length == 0)
        {
            return name;
        }

        var pick = options[random.Next(options.Length)];
        string family = name.Family!.Replace(pick.Char, pick.Variant, StringComparison.Ordinal);
        string given = name.Given[0].Replace(pick.Char, pick.Variant, StringComparison.Ordinal);
        return name with { Family = family, Given = [given] };
    }

    private static List<HumanName> Names(PersonName name, bool pinyinOnly)
    {
        if (name.Style == NameStyle.Latin)
        {
            return [new HumanName { Use = HumanName.NameUse.Official, Text = name.LatinText, Family = name.FamilyLatin, Given = name.GivenLatin }];
        }

        var latin = new HumanName
        {
            Use = HumanName.NameUse.Official,
            Text = name.LatinText,
            Family = name.FamilyLatin,
            Given = name.GivenLatin,
        };
        latin.AddExtension(FhirElements.EnRepresentation, new Code("SYL"));
        if (pinyinOnly)
        {
            return [latin];
        }

        var ideographic = new HumanName
        {
            Use = HumanName.NameUse.Official,
            Text = name.Text,
            Family = name.Family,
            Given = name.Given,
        };
        ideographic.AddExtension(FhirElements.EnRepresentation, new Code("IDE"));
        return [ideographic, latin];
    }

    private static Address Address(Division home, string line)
    {
        var address = new Address
        {
            Use = Hl7.Fhir.Model.Address.AddressUse.Home,
            Text = home.ProvinceName + home.CityName + home.Name + line,
            Line = [line],
            District = home.Name,
            City = home.CityName,
            State = home.ProvinceName,
            PostalCode = home.PostalCode,
            Country = "CN",
        };
        address.AddExtension(FhirElements.DivisionCodeExtension, new Code(home.Code));
        return address;
    }
}
