using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class SearchParameterRegistryTests
{
    private readonly SearchParameterRegistry _registry = new();

    internal static SearchParameter Parameter(string id, string code, SearchParamType type, string expression, params ResourceType[] bases) => new()
    {
        Id = id,
        Url = $"http://openhip.org/fhir/SearchParameter/{id}",
        Name = id,
        Status = PublicationStatus.Active,
        Description = "test parameter",
        Code = code,
        Type = type,
        Expression = expression,
        Base = [.. bases.Select(b => (ResourceType?)b)],
    };

    private SearchIndexer Indexer() => new(_registry, RegionTimeZone.Of(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));

    [Fact]
    public void Find_BuiltInsIncludingResourceLevelOnes()
    {
        Assert.Equal(SearchParamType.String, _registry.Find("Patient", "name")?.Type);
        Assert.Equal(SearchParamType.Token, _registry.Find("Patient", "_tag")?.Type);
        Assert.Equal(SearchParamType.Date, _registry.Find("Observation", "_lastUpdated")?.Type);
        Assert.Equal(SearchParamType.Uri, _registry.Find("Encounter", "_profile")?.Type);
        Assert.Null(_registry.Find("Patient", "no-such-parameter"));
        Assert.Equal(0, _registry.Version);
    }

    [Fact]
    public void FindByUrl_EveryR4CompositeComponentResolves()
    {
        string[] unresolved = [.. Hl7.Fhir.Model.ModelInfo.SupportedResources
            .SelectMany(type => _registry.ForType(type))
            .Where(p => p.Type == SearchParamType.Composite)
            .SelectMany(p => p.Components.Select(c => (p, c)))
            .Where(x => _registry.FindByUrl(x.c.DefinitionUrl) is null)
            .Select(x => $"{x.p.ResourceType}.{x.p.Code} -> {x.c.DefinitionUrl}")
            .Distinct()];

        Assert.Empty(unresolved);
        Assert.Equal(SearchParamType.Token, _registry.FindByUrl("http://hl7.org/fhir/SearchParameter/clinical-code")?.Type);
    }

    [Fact]
    public void Register_StoredParameter_ChangesWhatIsExtracted()
    {
        SearchIndexer indexer = Indexer();
        var patient = new Patient { Name = [new HumanName { Given = ["Robert"] }, new HumanName { Use = HumanName.NameUse.Nickname, Given = ["Bob"] }] };
        Assert.DoesNotContain(indexer.Extract(patient), e => e.Parameter == "nickname");

        _registry.Register(Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.where(use='nickname').given", ResourceType.Patient));

        Assert.Equal(1, _registry.Version);
        Assert.Equal("nickname", _registry.Find("Patient", "nickname")?.Code);
        Assert.Equal([new StringIndexEntry("nickname", "bob", "Bob")], indexer.Extract(patient).Where(e => e.Parameter == "nickname"));

        Assert.True(_registry.Unregister("http://openhip.org/fhir/SearchParameter/nickname"));

        Assert.Equal(2, _registry.Version);
        Assert.Null(_registry.Find("Patient", "nickname"));
        Assert.DoesNotContain(indexer.Extract(patient), e => e.Parameter == "nickname");
        Assert.False(_registry.Unregister("nickname"));
    }

    [Fact]
    public void Register_SameCodeAsABuiltIn_ReplacesItOnThatBaseOnly()
    {
        _registry.Register(Parameter("gender-text", "gender", SearchParamType.String, "Patient.gender", ResourceType.Patient));

        Assert.Equal(SearchParamType.String, _registry.Find("Patient", "gender")?.Type);
        Assert.Equal(SearchParamType.Token, _registry.Find("Practitioner", "gender")?.Type);
        Assert.Contains(new StringIndexEntry("gender", "male", "male"), Indexer().Extract(new Patient { Gender = AdministrativeGender.Male }));
    }

    [Fact]
    public void Register_BaseResource_AppliesToEveryType()
    {
        _registry.Register(Parameter("language", "_language", SearchParamType.Token, "Resource.language", ResourceType.Resource));

        Assert.Contains(new TokenIndexEntry("_language", null, "zh-CN"), Indexer().Extract(new Organization { Language = "zh-CN" }));
    }

    [Fact]
    public void Register_BaseDomainResource_AppliesToDomainResourcesOnly()
    {
        _registry.Register(Parameter("narrative-status", "narrative-status", SearchParamType.Token, "DomainResource.text.status", ResourceType.DomainResource));
        var narrative = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>" };

        Assert.Contains(new TokenIndexEntry("narrative-status", null, "generated"), Indexer().Extract(new Organization { Text = narrative }));
        Assert.NotNull(_registry.Find("Patient", "narrative-status"));
        Assert.Null(_registry.Find("Bundle", "narrative-status"));
    }

    [Fact]
    public void Register_Composite_ComponentsMayBeStoredOrBuiltIn()
    {
        _registry.Register(Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.where(use='nickname').given", ResourceType.Patient));
        SearchParameter composite = Parameter("gender-nickname", "gender-nickname", SearchParamType.Composite, "Patient", ResourceType.Patient);
        composite.Component =
        [
            new SearchParameter.ComponentComponent { Definition = "http://hl7.org/fhir/SearchParameter/individual-gender", Expression = "gender" },
            new SearchParameter.ComponentComponent { Definition = "http://openhip.org/fhir/SearchParameter/nickname", Expression = "name.where(use='nickname').given" },
        ];

        _registry.Register(composite);

        var patient = new Patient { Gender = AdministrativeGender.Female, Name = [new HumanName { Use = HumanName.NameUse.Nickname, Given = ["Mei"] }] };
        CompositeIndexEntry entry = Assert.IsType<CompositeIndexEntry>(Assert.Single(Indexer().Extract(patient), e => e.Parameter == "gender-nickname"));
        Assert.Equal([new TokenIndexEntry("0", null, "female"), new StringIndexEntry("1", "mei", "Mei")], entry.Components);
    }

    [Fact]
    public void Validate_Unusable_BadRequestNamingEachProblem()
    {
        SearchParameter broken = Parameter("broken", "has space", SearchParamType.Token, "Patient.name.where(", ResourceType.Patient);
        SearchParameter untyped = Parameter("untyped", "x", SearchParamType.Token, "Patient.name", ResourceType.Patient);
        untyped.Type = null;
        SearchParameter composite = Parameter("c", "c", SearchParamType.Composite, "Patient", ResourceType.Patient);
        composite.Component = [new SearchParameter.ComponentComponent { Definition = "http://example.org/unknown", Expression = "gender" }];
        SearchParameter noExpression = Parameter("e", "e", SearchParamType.String, "", ResourceType.Patient);

        FhirException a = Assert.Throws<FhirException>(() => _registry.Register(broken));
        FhirException b = Assert.Throws<FhirException>(() => _registry.Register(untyped));
        FhirException c = Assert.Throws<FhirException>(() => _registry.Register(composite));
        FhirException d = Assert.Throws<FhirException>(() => _registry.Register(noExpression));

        Assert.Equal(FhirErrorKind.BadRequest, a.Kind);
        Assert.Equal(["SearchParameter.code", "SearchParameter.expression"], a.Issues.Select(i => i.Expression));
        Assert.Equal(["SearchParameter.type"], b.Issues.Select(i => i.Expression));
        Assert.Equal(["SearchParameter.component[0].definition"], c.Issues.Select(i => i.Expression));
        Assert.Equal(["SearchParameter.expression"], d.Issues.Select(i => i.Expression));
        Assert.Equal(0, _registry.Version);
    }

    [Fact]
    public void Activate_OlderVersionAfterNewer_Ignored()
    {
        SearchParameter v2 = Parameter("sp", "nick", SearchParamType.String, "Patient.name.given", ResourceType.Patient);
        v2.Meta = new Meta { VersionId = "2" };
        SearchParameter v1 = Parameter("sp", "nick", SearchParamType.Token, "Patient.gender", ResourceType.Patient);
        v1.Meta = new Meta { VersionId = "1" };

        _registry.Activate([v2]);
        _registry.Activate([v1]);

        Assert.Equal(SearchParamType.String, _registry.Find("Patient", "nick")?.Type);
        Assert.Equal(1, _registry.Version);
    }

    [Fact]
    public void Retire_ThenALateOlderVersion_StaysInactive()
    {
        SearchParameter v1 = Parameter("sp", "nick", SearchParamType.String, "Patient.name.given", ResourceType.Patient);
        v1.Meta = new Meta { VersionId = "1" };
        _registry.Activate([v1]);

        _registry.Retire("sp", 2);
        _registry.Activate([v1]);

        Assert.Null(_registry.Find("Patient", "nick"));
    }

    [Fact]
    public void Activate_RetiredStatusOrInvalid_NotActive()
    {
        SearchParameter retired = Parameter("old", "old", SearchParamType.String, "Patient.name.given", ResourceType.Patient);
        retired.Status = PublicationStatus.Retired;
        SearchParameter invalid = Parameter("bad", "bad", SearchParamType.String, "Patient.(", ResourceType.Patient);

        IReadOnlyList<string> rejected = _registry.Activate([retired, invalid]);

        Assert.Equal(["bad"], rejected);
        Assert.Null(_registry.Find("Patient", "old"));
        Assert.Null(_registry.Find("Patient", "bad"));
    }

    [Fact]
    public void Current_IsASnapshot_UnchangedByLaterRegistrations()
    {
        SearchParameterSet before = _registry.Current;

        _registry.Register(Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.given", ResourceType.Patient));

        Assert.Null(before.Find("Patient", "nickname"));
        Assert.NotNull(_registry.Current.Find("Patient", "nickname"));
        Assert.True(_registry.Current.Version > before.Version);
    }
}
