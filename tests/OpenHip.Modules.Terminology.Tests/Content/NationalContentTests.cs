using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Content;

/// <summary>The Chinese national sets that ship: strict FHIR, the right codes, and maps that point at real codes.</summary>
public sealed class NationalContentTests
{
    private static readonly IReadOnlyList<Resource> Shipped = [.. NationalContent.Load().Select(r => r.Resource)];

    private static CodeSystem Cs(string id) => Shipped.OfType<CodeSystem>().Single(c => c.Id == id);

    [Fact]
    public void Load_EveryResource_ParsesStrictlyUnderTheOpenHipNamespace()
    {
        Assert.Equal(5, Shipped.OfType<CodeSystem>().Count());
        Assert.Equal(6, Shipped.OfType<ValueSet>().Count());
        Assert.Equal(2, Shipped.OfType<ConceptMap>().Count());
        Assert.All(Shipped.Where(r => r is not NamingSystem).Cast<IVersionableConformanceResource>(), r =>
        {
            Assert.StartsWith(NationalContent.CanonicalBase, r.Url, StringComparison.Ordinal);
            Assert.EndsWith($"/{((Resource)r).TypeName}/{((Resource)r).Id}", r.Url, StringComparison.Ordinal);
            Assert.Equal(PublicationStatus.Active, r.Status);
        });
    }

    [Fact]
    public void Load_NamingSystems_OneActivePreferredUriPerMpiIdentifierSystem()
    {
        string[] systems =
        [
            "cn-ehc", "cn-foreign-permanent-resident", "cn-hkmo-permit", "cn-medical-insurance", "cn-resident-id", "cn-social-insurance", "cn-tw-permit",
        ];

        NamingSystem[] shipped = [.. Shipped.OfType<NamingSystem>().OrderBy(n => n.Id, StringComparer.Ordinal)];

        Assert.Equal(systems, shipped.Select(n => n.Id));
        Assert.All(shipped, n =>
        {
            NamingSystem.UniqueIdComponent unique = Assert.Single(n.UniqueId);
            Assert.Equal(("http://openhip.org/sid/" + n.Id, NamingSystem.NamingSystemIdentifierType.Uri, true), (unique.Value, unique.Type, unique.Preferred));
            Assert.Equal((NamingSystem.NamingSystemType.Identifier, PublicationStatus.Active), (n.Kind, n.Status));
            Assert.False(string.IsNullOrEmpty(n.Responsible));
        });
    }

    [Fact]
    public void Load_EveryCodeSystem_NamesItsStandardAndHasAValueSetAndACount()
    {
        Assert.All(Shipped.OfType<CodeSystem>(), cs =>
        {
            Assert.Matches("(GB/T|WS) [0-9.]+", cs.Title);
            Assert.Contains("Source: ", cs.Description, StringComparison.Ordinal);
            Assert.Contains(Shipped.OfType<ValueSet>(), vs => vs.Url == cs.ValueSet && vs.Compose!.Include[0].System == cs.Url);
            Assert.Equal(Flatten(cs.Concept).Count(), cs.Count);
            Assert.Equal(cs.Count, Flatten(cs.Concept).Select(c => c.Code).Distinct().Count());
        });
    }

    [Fact]
    public void Divisions_HaveThe34ProvincialLevelDivisionsWithPrefecturesNested()
    {
        CodeSystem divisions = Cs("cn-administrative-division");

        Assert.Equal(34, divisions.Concept.Count);
        Assert.All(divisions.Concept, p => Assert.Equal("province", Level(p)));
        Assert.All(divisions.Concept, p => Assert.Matches("^[0-9]{2}0000$", p.Code));
        Assert.Contains(divisions.Concept, p => p.Code == "110000" && p.Display == "北京市");
        Assert.Contains(divisions.Concept, p => p.Code == "650000" && p.Display == "新疆维吾尔自治区");
        Assert.Contains(divisions.Concept, p => p.Code == "810000" && p.Display == "香港特别行政区");
        Assert.Contains(divisions.Concept, p => p.Code == "710000");
        Assert.Contains(divisions.Concept, p => p.Code == "820000");
        CodeSystem.ConceptDefinitionComponent zhejiang = divisions.Concept.Single(p => p.Code == "330000");
        CodeSystem.ConceptDefinitionComponent hangzhou = zhejiang.Concept.Single(c => c.Code == "330100");
        Assert.Equal(("杭州市", "prefecture"), (hangzhou.Display, Level(hangzhou)));
        Assert.Equal(11, zhejiang.Concept.Count);
        Assert.Equal(("西湖区", "county"), (hangzhou.Concept.Single(c => c.Code == "330106").Display, Level(hangzhou.Concept[0])));
        Assert.Equal(342, Flatten(divisions.Concept).Count(c => Level(c) == "prefecture"));
        Assert.Equal(CodeSystem.CodeSystemHierarchyMeaning.PartOf, divisions.HierarchyMeaning);
    }

    [Fact]
    public void EthnicGroups_AreThe56GroupsPlusOthers()
    {
        CodeSystem ethnic = Cs("cn-ethnic-group");

        Assert.Equal(Enumerable.Range(1, 56).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)), ethnic.Concept.Take(56).Select(c => c.Code));
        Assert.Equal(["97", "98"], ethnic.Concept.Skip(56).Select(c => c.Code));
        Assert.All(ethnic.Concept.Take(56), c => Assert.EndsWith("族", c.Display, StringComparison.Ordinal));
        Assert.Equal(("汉族", "Han", "HA"), (ethnic.Concept[0].Display, English(ethnic.Concept[0]), Alpha(ethnic.Concept[0])));
        Assert.Equal(("基诺族", "JN"), (ethnic.Concept[55].Display, Alpha(ethnic.Concept[55])));
        Assert.Equal(56, ethnic.Concept.Select(Alpha).OfType<string>().Distinct().Count());
    }

    [Fact]
    public void SexAndMaritalStatus_HaveTheStandardCodes()
    {
        Assert.Equal(["0", "1", "2", "9"], Cs("cn-sex").Concept.Select(c => c.Code));
        Assert.Equal("男性", Cs("cn-sex").Concept[1].Display);
        CodeSystem marital = Cs("cn-marital-status");
        Assert.Equal(["10", "20", "30", "40", "90"], marital.Concept.Select(c => c.Code));
        Assert.Equal(["21", "22", "23"], marital.Concept[1].Concept.Select(c => c.Code));
    }

    [Fact]
    public void IdDocumentTypes_UseTheMpiIdentifierSystemsWhereTheyOverlap()
    {
        CodeSystem documents = Cs("cn-id-document-type");

        Assert.Equal(["01", "02", "03", "04", "05", "06", "07", "99"], documents.Concept.Select(c => c.Code));
        Assert.Equal("http://openhip.org/sid/cn-resident-id", IdentifierSystem(documents, "01"));
        Assert.StartsWith("http://openhip.org/sid/passport/", IdentifierSystem(documents, "03"), StringComparison.Ordinal);
        Assert.Equal("http://openhip.org/sid/cn-hkmo-permit", IdentifierSystem(documents, "06"));
        Assert.Equal("http://openhip.org/sid/cn-tw-permit", IdentifierSystem(documents, "07"));
        Coding residentType = (Coding)documents.Concept[0].Property.Single(p => p.Code == "identifier-type").Value;
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v2-0203", "NI"), (residentType.System, residentType.Code));
    }

    [Fact]
    public void ConceptMaps_MapEverySourceCodeToARealFhirCode()
    {
        IReadOnlyList<Resource> core = [.. CoreSpecificationContent.Load().Select(r => r.Resource)];
        foreach (ConceptMap map in Shipped.OfType<ConceptMap>())
        {
            foreach (ConceptMap.GroupComponent group in map.Group)
            {
                HashSet<string?> sources = [.. Flatten(Shipped.OfType<CodeSystem>().Single(c => c.Url == group.Source).Concept).Select(c => c.Code)];
                HashSet<string?> targets = [.. Flatten(core.OfType<CodeSystem>().Single(c => c.Url == group.Target).Concept).Select(c => c.Code)];
                Assert.All(group.Element, e => Assert.Contains(e.Code, sources));
                Assert.All(group.Element.SelectMany(e => e.Target), t => Assert.Contains(t.Code, targets));
            }
        }

        ConceptMap sex = Shipped.OfType<ConceptMap>().Single(m => m.Id == "cn-sex-to-administrative-gender");
        Assert.Equal(["unknown", "male", "female", "unknown"], sex.Group[0].Element.Select(e => e.Target[0].Code));
        ConceptMap marital = Shipped.OfType<ConceptMap>().Single(m => m.Id == "cn-marital-status-to-v3-marital-status");
        Assert.Equal(8, marital.Group.Sum(g => g.Element.Count));
    }

    [Fact]
    public void Fingerprint_IsStableAcrossCalls()
    {
        Assert.Equal(NationalContent.Fingerprint, NationalContent.Fingerprint);
        Assert.StartsWith("cn@", NationalContent.Fingerprint, StringComparison.Ordinal);
    }

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => Flatten(c.Concept).Prepend(c));

    private static string? Level(CodeSystem.ConceptDefinitionComponent c) => (c.Property.SingleOrDefault(p => p.Code == "level")?.Value as Code)?.Value;

    private static string? Alpha(CodeSystem.ConceptDefinitionComponent c) => (c.Property.SingleOrDefault(p => p.Code == "alpha")?.Value as FhirString)?.Value;

    private static string? English(CodeSystem.ConceptDefinitionComponent c) => c.Designation.Single(d => d.Language == "en").Value;

    private static string? IdentifierSystem(CodeSystem cs, string code) =>
        (cs.Concept.Single(c => c.Code == code).Property.SingleOrDefault(p => p.Code == "identifier-system")?.Value as FhirString)?.Value;
}
