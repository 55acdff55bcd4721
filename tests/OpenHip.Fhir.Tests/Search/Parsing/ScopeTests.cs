using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class ScopeTests
{
    [Fact]
    public void Parse_TypeLevel_SearchesThatType()
    {
        Assert.Equal(["Patient"], Parse("Patient", "").Query.Types);
    }

    [Fact]
    public void Parse_UnknownType_Is404()
    {
        var error = Assert.Throws<Errors.FhirException>(() => Parse("Nothing", "_id=1"));

        Assert.Equal(Errors.FhirErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void Parse_SystemWithType_SearchesThoseTypes()
    {
        var parsed = Parse(SearchScope.System, "_type=Patient,Practitioner&name=zhang");

        Assert.Equal(["Patient", "Practitioner"], parsed.Query.Types);
        AssertTree(new StringExpression("name", StringMatch.StartsWith, "zhang"), parsed.Query.Filter);
    }

    [Fact]
    public void Parse_SystemWithType_ParameterNotCommonToAllTypes_IsIgnoredWhenLenient()
    {
        var parsed = Parse(SearchScope.System, "_type=Patient,Observation&gender=female");

        Assert.Null(parsed.Query.Filter);
        Assert.Equal("gender", Assert.Single(parsed.Ignored).Name);
    }

    [Fact]
    public void Parse_SystemWithType_ParameterNotCommonToAllTypes_Is400WhenStrict()
    {
        Assert.Contains("every type searched", Fails(() => Parse(SearchScope.System, "_type=Patient,Observation&gender=female", SearchHandling.Strict)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SystemWithoutType_SearchesEveryTypeWithResourceParametersOnly()
    {
        var parsed = Parse(SearchScope.System, "_lastUpdated=2024&name=x");

        Assert.Contains("Patient", parsed.Query.Types);
        Assert.Contains("Observation", parsed.Query.Types);
        Assert.IsType<LastUpdatedExpression>(parsed.Query.Filter);
        Assert.Equal("name", Assert.Single(parsed.Ignored).Name);
    }

    [Theory]
    [InlineData("_type=Nothing")]
    [InlineData("_type=Patient&_type=Observation")]
    public void Parse_BadType_Is400(string query)
    {
        Fails(() => Parse(SearchScope.System, query));
    }

    [Fact]
    public void Parse_TypeAtTypeLevel_Is400()
    {
        Assert.Contains("system-level", Fails("Patient", "_type=Observation").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Compartment_AddsCompartmentExpressionFirst()
    {
        var parsed = Parse(SearchScope.ForCompartment("Patient", "123", "Observation"), "code=8480-6");

        Assert.Equal(["Observation"], parsed.Query.Types);
        AssertTree(new AndExpression([new CompartmentExpression("123"), new TokenExpression("code", null, "8480-6")]), parsed.Query.Filter);
    }

    [Fact]
    public void Parse_CompartmentWithoutCriteria_IsJustTheCompartment()
    {
        AssertTree(new CompartmentExpression("123"), Parse(SearchScope.ForCompartment("Patient", "123", "Encounter"), "").Query.Filter);
    }

    [Fact]
    public void Parse_WholeCompartment_SearchesEveryCompartmentType()
    {
        var parsed = Parse(SearchScope.ForCompartment("Patient", "123", "*"), "");

        Assert.Contains("Observation", parsed.Query.Types);
        Assert.DoesNotContain("Organization", parsed.Query.Types);
    }

    [Fact]
    public void Parse_WholeCompartmentWithType_Narrows()
    {
        Assert.Equal(["Condition", "Observation"], Parse(SearchScope.ForCompartment("Patient", "123", null), "_type=Condition,Observation").Query.Types);
    }

    [Fact]
    public void Parse_TypeOutsideThePatientCompartment_Is400()
    {
        Fails(() => Parse(SearchScope.ForCompartment("Patient", "123", "Organization"), ""));
    }

    [Fact]
    public void Parse_OtherCompartment_Is400NotSupported()
    {
        Assert.Contains("Patient compartment", Fails(() => Parse(SearchScope.ForCompartment("Encounter", "1", "Observation"), "")).Message, StringComparison.Ordinal);
    }
}
