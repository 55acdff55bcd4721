using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Parsing;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class LimitTests
{
    [Fact]
    public void Parse_MoreParametersThanTheLimit_Is400()
    {
        KeyValuePair<string, string>[] parameters = [.. Enumerable.Range(0, 101).Select(i => new KeyValuePair<string, string>("name", "n" + i))];

        var error = Fails(() => Parser().Parse(SearchScope.ForType("Patient"), parameters, SearchHandling.Lenient));

        Assert.Contains("at most 100 parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MoreOrValuesThanTheLimit_Is400()
    {
        string values = string.Join(',', Enumerable.Range(0, 21).Select(i => "c" + i));

        Assert.Contains("more than 20 comma-separated values", Fails("Observation", "code=" + values).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AbsurdlyLongValue_Is400WithAShortenedEcho()
    {
        var error = Fails(() => ParseRaw("Patient", "name", new string('x', 5000)));

        Assert.Contains("longer than 2048 characters", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400);
    }

    [Fact]
    public void Parse_LimitsAreConfigurable()
    {
        var parser = Parser(new FhirEngineOptions { MaxSearchOrValues = 2, MaxSearchParameters = 2 });

        Fails(() => parser.Parse(SearchScope.ForType("Patient"), [new("gender", "a,b,c")], SearchHandling.Lenient));
        Fails(() => parser.Parse(SearchScope.ForType("Patient"), [new("gender", "a"), new("name", "b"), new("family", "c")], SearchHandling.Lenient));
    }

    [Theory]
    [InlineData("gender=male,")]
    [InlineData("gender=,male")]
    public void Parse_EmptyValueInList_Is400(string query)
    {
        Assert.Contains("empty value", Fails("Patient", query).Message, StringComparison.Ordinal);
    }
}
