using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class DateParameterTests
{
    [Fact]
    public void Parse_Year_IsTheWholeYearInTheRegionZone()
    {
        AssertTree(
            new DateExpression("birthdate", SearchPrefix.Eq, At(2020, 1, 1), At(2020, 12, 31, 23, 59, 59, 999)),
            Filter("Patient", "birthdate=2020"));
    }

    [Fact]
    public void Parse_Day_IsTheWholeDay()
    {
        AssertTree(
            new DateExpression("birthdate", SearchPrefix.Eq, At(1949, 12, 31), At(1949, 12, 31, 23, 59, 59, 999)),
            Filter("Patient", "birthdate=1949-12-31"));
    }

    [Fact]
    public void Parse_SecondsWithZone_UsesTheGivenZone()
    {
        var low = new DateTimeOffset(2021, 3, 1, 10, 0, 5, TimeSpan.Zero);

        AssertTree(new DateExpression("date", SearchPrefix.Ge, low, low.AddMilliseconds(999)), Filter("Observation", "date=ge2021-03-01T10:00:05Z"));
    }

    [Fact]
    public void Parse_PositiveOffset_SurvivesWhenSentEncoded()
    {
        var low = new DateTimeOffset(2021, 3, 1, 10, 0, 0, TimeSpan.FromHours(9));

        AssertTree(
            new DateExpression("date", SearchPrefix.Lt, low, low.AddMinutes(1).AddMilliseconds(-1)),
            Filter("Observation", "date=lt2021-03-01T10:00%2B09:00"));
    }

    [Fact]
    public void Parse_PlusDecodedAsSpace_Is400WithAHint()
    {
        var error = Fails("Observation", "date=lt2021-03-01T10:00+09:00");

        Assert.Contains("%2B", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eq", SearchPrefix.Eq)]
    [InlineData("ne", SearchPrefix.Ne)]
    [InlineData("gt", SearchPrefix.Gt)]
    [InlineData("lt", SearchPrefix.Lt)]
    [InlineData("ge", SearchPrefix.Ge)]
    [InlineData("le", SearchPrefix.Le)]
    [InlineData("sa", SearchPrefix.Sa)]
    [InlineData("eb", SearchPrefix.Eb)]
    [InlineData("ap", SearchPrefix.Ap)]
    public void Parse_EachPrefix_IsKept(string prefix, SearchPrefix expected)
    {
        AssertTree(
            new DateExpression("date", expected, At(2020, 5, 1), At(2020, 5, 31, 23, 59, 59, 999)),
            Filter("Observation", $"date={prefix}2020-05"));
    }

    [Fact]
    public void Parse_Range_IsAndOfTwoPrefixes()
    {
        AssertTree(
            new AndExpression(
            [
                new DateExpression("date", SearchPrefix.Ge, At(2020, 1, 1), At(2020, 12, 31, 23, 59, 59, 999)),
                new DateExpression("date", SearchPrefix.Lt, At(2021, 1, 1), At(2021, 12, 31, 23, 59, 59, 999)),
            ]),
            Filter("Observation", "date=ge2020&date=lt2021"));
    }

    [Fact]
    public void Parse_LastUpdated_IsLastUpdatedExpression()
    {
        AssertTree(
            new LastUpdatedExpression(SearchPrefix.Gt, At(2024, 6, 1), At(2024, 6, 1, 23, 59, 59, 999)),
            Filter("Patient", "_lastUpdated=gt2024-06-01"));
    }

    [Theory]
    [InlineData("birthdate=2020-13")]
    [InlineData("birthdate=2020-02-30")]
    [InlineData("birthdate=20200101")]
    [InlineData("birthdate=yesterday")]
    [InlineData("birthdate=ge")]
    [InlineData("_lastUpdated=2020-1-1")]
    public void Parse_MalformedDate_Is400NamingParameterAndValue(string query)
    {
        var error = Fails("Patient", query);

        Assert.Contains($"'{query}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPrefix_Is400ListingTheKnownOnes()
    {
        var error = Fails("Patient", "birthdate=xx2020");

        Assert.Contains("unknown prefix 'xx'", error.Message, StringComparison.Ordinal);
        Assert.Contains("eq, ne", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ModifierOnLastUpdated_Is400()
    {
        Fails("Patient", "_lastUpdated:missing=true");
    }

    [Fact]
    public void Parse_RegionTimeZone_IsConfigurable()
    {
        var parser = Parser(new OpenHip.Fhir.Resources.FhirEngineOptions { TimeZone = "Europe/London" });

        var parsed = parser.Parse(OpenHip.Fhir.Search.Parsing.SearchScope.ForType("Patient"), [new("birthdate", "2020-07-01")], default);

        AssertTree(
            new DateExpression("birthdate", SearchPrefix.Eq, new DateTimeOffset(2020, 7, 1, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2020, 7, 1, 23, 59, 59, 999, TimeSpan.FromHours(1))),
            parsed.Query.Filter);
    }
}
