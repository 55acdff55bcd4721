using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class ResultParameterTests
{
    [Fact]
    public void Parse_Sort_KeysInOrderWithTheirKinds()
    {
        var sort = Parse("Observation", "_sort=-date,status,_id,-_lastUpdated").Query.Sort;

        Assert.Equal(
            [
                new SortKey("date", IndexKind.Date, true),
                new SortKey("status", IndexKind.Token, false),
                new SortKey("_id", IndexKind.Token, false),
                new SortKey("_lastUpdated", IndexKind.Date, true),
            ],
            sort);
    }

    [Fact]
    public void Parse_SortOnUnknownParameter_IsIgnoredWhenLenient()
    {
        var parsed = Parse("Patient", "_sort=nonsense,family");

        Assert.Equal([new SortKey("family", IndexKind.String, false)], parsed.Query.Sort);
        Assert.Equal("nonsense", Assert.Single(parsed.Ignored).Value);
        Assert.Contains("_sort=family", parsed.AppliedQuery, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SortOnUnknownParameter_Is400WhenStrict()
    {
        Fails("Patient", "_sort=nonsense", SearchHandling.Strict);
    }

    [Theory]
    [InlineData("_sort=family,,given")]
    [InlineData("_sort=family,-family")]
    [InlineData("_sort=-")]
    public void Parse_MalformedSort_Is400(string query)
    {
        Fails("Patient", query);
    }

    [Fact]
    public void Parse_NoCount_UsesTheDefaultPageSize()
    {
        Assert.Equal(new FhirEngineOptions().DefaultPageSize, Parse("Patient", "").Query.Count);
    }

    [Fact]
    public void Parse_Count_IsCappedAtTheMaximum()
    {
        var parsed = Parse("Patient", "_count=100000");

        Assert.Equal(new FhirEngineOptions().MaxPageSize, parsed.Query.Count);
        Assert.Contains($"_count={new FhirEngineOptions().MaxPageSize}", parsed.AppliedQuery, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CountZero_AsksForNoRowsAndTheTotal()
    {
        var query = Parse("Patient", "_count=0").Query;

        Assert.Equal(0, query.Count);
        Assert.Equal(TotalMode.Accurate, query.Total);
        Assert.Equal(TotalMode.Estimate, Parse("Patient", "_count=0&_total=estimate").Query.Total);
    }

    [Theory]
    [InlineData("_count=-1")]
    [InlineData("_count=1.5")]
    [InlineData("_count=ten")]
    [InlineData("_count=+5")]
    [InlineData("_count=5&_count=6")]
    public void Parse_BadCount_Is400(string query)
    {
        Assert.Contains("_count", Fails("Patient", query).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", TotalMode.None)]
    [InlineData("_total=none", TotalMode.None)]
    [InlineData("_total=estimate", TotalMode.Estimate)]
    [InlineData("_total=accurate", TotalMode.Accurate)]
    public void Parse_Total_SetsTheMode(string query, TotalMode expected)
    {
        Assert.Equal(expected, Parse("Patient", query).Query.Total);
    }

    [Fact]
    public void Parse_BadTotal_Is400()
    {
        Fails("Patient", "_total=some");
    }

    [Theory]
    [InlineData("true", SummaryMode.True)]
    [InlineData("text", SummaryMode.Text)]
    [InlineData("data", SummaryMode.Data)]
    [InlineData("false", SummaryMode.False)]
    public void Parse_Summary_SetsTheMode(string value, SummaryMode expected)
    {
        Assert.Equal(expected, Parse("Patient", $"_summary={value}").Summary);
    }

    [Fact]
    public void Parse_SummaryCount_AsksForAnAccurateTotalAndNoRows()
    {
        var parsed = Parse("Patient", "_summary=count&_count=20&_total=none");

        Assert.Equal(SummaryMode.Count, parsed.Summary);
        Assert.Equal(0, parsed.Query.Count);
        Assert.Equal(TotalMode.Accurate, parsed.Query.Total);
    }

    [Fact]
    public void Parse_BadSummary_Is400()
    {
        Fails("Patient", "_summary=short");
    }

    [Fact]
    public void Parse_Elements_ListsTheNames()
    {
        Assert.Equal(["identifier", "name", "deceased[x]"], Parse("Patient", "_elements=identifier,name,deceased[x]").Elements);
    }

    [Fact]
    public void Parse_BadElements_Is400()
    {
        Fails("Patient", "_elements=name,,gender");
        Fails("Patient", "_elements=name;drop");
    }

    [Fact]
    public void Parse_Include_ParameterAndTarget()
    {
        var parsed = Parse("Observation", "_include=Observation:subject:Patient&_include=Observation:performer");

        Assert.Equal(
            [new SearchInclude("Observation", "performer", null, false), new SearchInclude("Observation", "subject", "Patient", false)],
            parsed.Includes);
    }

    [Fact]
    public void Parse_IncludeIterateAndWildcard()
    {
        var parsed = Parse("MedicationRequest", "_include=MedicationRequest:*&_include:iterate=Medication:manufacturer");

        Assert.Equal(
            [new SearchInclude("MedicationRequest", null, null, false), new SearchInclude("Medication", "manufacturer", null, true)],
            parsed.Includes);
    }

    [Fact]
    public void Parse_IncludeStar_IncludesFromTheSearchedType()
    {
        Assert.Equal([new SearchInclude("Encounter", null, null, false)], Parse("Encounter", "_include=*").Includes);
    }

    [Fact]
    public void Parse_RevInclude_AnySourceType()
    {
        var parsed = Parse("Patient", "_revinclude=Observation:subject&_revinclude:iterate=Provenance:target");

        Assert.Equal([new SearchInclude("Observation", "subject", null, false), new SearchInclude("Provenance", "target", null, true)], parsed.RevIncludes);
        Assert.Empty(parsed.Includes);
    }

    [Fact]
    public void Parse_IncludeFromTypeNotSearched_IsIgnoredWhenLenientAnd400WhenStrict()
    {
        Assert.Single(Parse("Patient", "_include=Observation:subject").Ignored);
        Fails("Patient", "_include=Observation:subject", SearchHandling.Strict);
    }

    [Fact]
    public void Parse_IncludeThroughNonReference_IsIgnoredWhenLenient()
    {
        var parsed = Parse("Observation", "_include=Observation:code");

        Assert.Empty(parsed.Includes);
        Assert.Contains("no reference parameter 'code'", Assert.Single(parsed.Ignored).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_include=Observation")]
    [InlineData("_include=Nothing:subject")]
    [InlineData("_include=Observation:subject:Nothing")]
    [InlineData("_include=Observation:subject:Medication")]
    [InlineData("_include:deep=Observation:subject")]
    [InlineData("_revinclude=*")]
    public void Parse_MalformedInclude_Is400(string query)
    {
        Fails("Observation", query);
    }

    [Fact]
    public void Parse_Cursor_IsPassedThrough()
    {
        Assert.Equal("opaque-123", Parse("Patient", "_cursor=opaque-123").Query.Cursor);
    }

    [Fact]
    public void Parse_Contained_Is400NotSupported()
    {
        var error = Fails("Observation", "_contained=true");

        Assert.Contains("contained resources", error.Message, StringComparison.Ordinal);
        Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, error.Issues[0].Code);
    }

    [Fact]
    public void Parse_ContainedFalse_IsTheDefaultAndReported()
    {
        Assert.Single(Parse("Observation", "_contained=false").Ignored);
    }

    [Fact]
    public void Parse_FormatAndPretty_AreIgnoredSilently()
    {
        var parsed = Parse("Patient", "_format=json&_pretty=true", SearchHandling.Strict);

        Assert.Empty(parsed.Ignored);
        Assert.DoesNotContain("_format", parsed.AppliedQuery, StringComparison.Ordinal);
    }
}
