using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class HandlingAndLinkTests
{
    [Fact]
    public void Parse_UnknownParameterLenient_IsIgnoredAndListedWithAReason()
    {
        var parsed = Parse("Patient", "nonsense=1&gender=female");

        AssertTree(new TokenExpression("gender", null, "female"), parsed.Query.Filter);
        IgnoredParameter ignored = Assert.Single(parsed.Ignored);
        Assert.Equal(("nonsense", "1"), (ignored.Name, ignored.Value));
        Assert.Contains("not a search parameter of Patient", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownParameterStrict_Is400()
    {
        Assert.Contains("'nonsense=1'", Fails("Patient", "nonsense=1", SearchHandling.Strict).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_filter=name eq x")]
    [InlineData("_query=everything")]
    [InlineData("_text=fever")]
    [InlineData("near=1|2|3|km")]
    public void Parse_UnsupportedParameter_IsIgnoredWhenLenientAnd400WhenStrict(string query)
    {
        string type = query.StartsWith("near", StringComparison.Ordinal) ? "Location" : "Patient";

        Assert.Single(Parse(type, query).Ignored);
        Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, Fails(type, query, SearchHandling.Strict).Issues[0].Code);
    }

    [Fact]
    public void Parse_EmptyValue_IsIgnored()
    {
        var parsed = Parse("Patient", "name=&gender=male");

        Assert.Equal("name", Assert.Single(parsed.Ignored).Name);
        Assert.DoesNotContain("name", parsed.AppliedQuery, StringComparison.Ordinal);
    }

    [Fact]
    public void AppliedQuery_IsInCanonicalOrderWithoutIgnoredParameters()
    {
        var parsed = Parse("Observation", "status=final&nonsense=1&code=http://loinc.org|8480-6&_sort=-date&_include=Observation:subject&date=ge2020&date=lt2021");

        Assert.Equal(
            "code=http://loinc.org%7C8480-6&date=ge2020&date=lt2021&status=final&_sort=-date&_count=50&_include=Observation:subject",
            parsed.AppliedQuery);
    }

    [Fact]
    public void AppliedQuery_SameSearchWrittenDifferently_GivesTheSameLinkAndTree()
    {
        var a = Parse("Patient", "gender=female&name=li&birthdate=ge2000");
        var b = Parse("Patient", "birthdate=ge2000&name=li&gender=female");

        Assert.Equal(a.AppliedQuery, b.AppliedQuery);
        AssertTree(a.Query.Filter, b.Query.Filter);
    }

    [Fact]
    public void AppliedQuery_EncodesWhatAUrlCannotCarry()
    {
        var parsed = ParseRaw("Observation", "date", "ge2021-03-01T10:00+09:00");

        Assert.Equal("date=ge2021-03-01T10:00%2B09:00&_count=50", parsed.AppliedQuery);
    }

    [Fact]
    public void AppliedQuery_SystemSearch_StartsWithType()
    {
        Assert.Equal("_type=Patient,Practitioner&name=li&_count=50", Parse(SearchScope.System, "name=li&_type=Patient,Practitioner").AppliedQuery);
    }

    [Fact]
    public void LinkQuery_AddsTheCursorLast()
    {
        var parsed = Parse("Patient", "_cursor=abc&gender=male");

        Assert.Equal("gender=male&_count=50&_cursor=abc", parsed.SelfLinkQuery);
        Assert.Equal("gender=male&_count=50&_cursor=next%3D%3D", parsed.LinkQuery("next=="));
        Assert.Equal("gender=male&_count=50", parsed.LinkQuery(null));
    }

    [Fact]
    public void AppliedQuery_SummaryCount_LeavesOutCount()
    {
        Assert.Equal("_summary=count", Parse("Patient", "_summary=count").AppliedQuery);
    }
}
