using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Modules.Synthetic.Clinical;
using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic.Region;

/// <summary>
/// The region's shared resources as one transaction Bundle of PUTs with fixed ids, loaded before any resident bundle.
/// </summary>
internal static class SharedResources
{
    public const string InstitutionClassSystem = "http://openhip.org/fhir/CodeSystem/institution-class";
    public const string OrganizationIdSystem = "http://openhip.org/sid/organization";
    public const string PractitionerIdSystem = "http://openhip.org/sid/practitioner-licence";

    public static Bundle Build(RegionCatalog catalog, NameGenerator names, int seed)
    {
        var random = DeterministicRandom.For(seed, RandomStream.Region, 0);
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (Institution institution in catalog.Institutions)
        {
            Put(bundle, Organization(institution), institution.Source);
            Put(bundle, Location(institution), institution.Source);
            for (int i = 0; i < institution.PractitionerIds.Count; i++)
            {
                string practitionerId = institution.PractitionerIds[i];
                bool male = random.Chance(0.5);
                PersonName name = names.Han(random, male, 1965 + random.Next(0, 35), she: false);
                var practitioner = new Practitioner
                {
                    Id = practitionerId,
                    Identifier = [new Identifier(PractitionerIdSystem, string.Create(CultureInfo.InvariantCulture, $"{institution.Division.Code}{random.Next(100_000, 1_000_000)}"))],
                    Active = true,
                    Name = Names(name),
                    Gender = male ? AdministrativeGender.Male : AdministrativeGender.Female,
                };
                Put(bundle, practitioner, institution.Source);

                string roleCode = institution.Kind switch
                {
                    InstitutionKind.Pharmacy => "pharmacist",
                    InstitutionKind.Cdc => "researcher",
                    _ => i % 3 == 2 ? "nurse" : "doctor",
                };
                var role = new PractitionerRole
                {
                    Id = "role-" + practitionerId["prac-".Length..],
                    Active = true,
                    Practitioner = FhirElements.Ref("Practitioner/" + practitionerId),
                    Organization = FhirElements.Ref(institution.OrganizationReference),
                    Location = [FhirElements.Ref(institution.LocationReference)],
                    Code = [FhirElements.Concept("http://terminology.hl7.org/CodeSystem/practitioner-role", roleCode)],
                };
                Put(bundle, role, institution.Source);
            }
        }

        return bundle;
    }

    private static Organization Organization(Institution institution)
    {
        (string code, string display) = institution.Kind switch
        {
            InstitutionKind.TertiaryHospital => ("tertiary-hospital", "三级医院"),
            InstitutionKind.SecondaryHospital => ("secondary-hospital", "二级医院"),
            InstitutionKind.CommunityHealthCentre => ("community-health-centre", "社区卫生服务中心"),
            InstitutionKind.TownshipHealthCentre => ("township-health-centre", "乡镇卫生院"),
            InstitutionKind.Pharmacy => ("pharmacy", "零售药店"),
            _ => ("cdc", "疾病预防控制中心"),
        };
        return new Organization
        {
            Id = institution.Id,
            Identifier = [new Identifier(OrganizationIdSystem, institution.Id)],
            Active = true,
            Type =
            [
                FhirElements.Concept("http://terminology.hl7.org/CodeSystem/organization-type", institution.Kind == InstitutionKind.Cdc ? "govt" : "prov"),
                FhirElements.Concept(InstitutionClassSystem, code, display),
            ],
            Name = institution.Name,
            Address = [Address(institution.Division)],
        };
    }

    private static Location Location(Institution institution) => new()
    {
        Id = institution.LocationId,
        Status = Hl7.Fhir.Model.Location.LocationStatus.Active,
        Name = institution.Name,
        Address = Address(institution.Division),
        ManagingOrganization = FhirElements.Ref(institution.OrganizationReference),
    };

    private static Address Address(Division division)
    {
        var address = new Address
        {
            District = division.Name,
            City = division.CityName,
            State = division.ProvinceName,
            PostalCode = division.PostalCode,
            Country = "CN",
        };
        address.AddExtension(FhirElements.DivisionCodeExtension, new Code(division.Code));
        return address;
    }

    private static List<HumanName> Names(PersonName name)
    {
        var ideographic = new HumanName { Use = HumanName.NameUse.Official, Text = name.Text, Family = name.Family, Given = name.Given };
        ideographic.AddExtension(FhirElements.EnRepresentation, new Code("IDE"));
        var latin = new HumanName { Use = HumanName.NameUse.Official, Text = name.LatinText, Family = name.FamilyLatin, Given = name.GivenLatin };
        latin.AddExtension(FhirElements.EnRepresentation, new Code("SYL"));
        return [ideographic, latin];
    }

    private static void Put(Bundle bundle, Resource resource, string source)
    {
        resource.Meta = new Meta { Source = source };
        string url = resource.TypeName + "/" + resource.Id;
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "http://openhip.org/fhir/" + url,
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = url },
        });
    }
}
