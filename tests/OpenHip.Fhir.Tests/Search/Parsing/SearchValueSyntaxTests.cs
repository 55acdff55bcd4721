using OpenHip.Fhir.Search.Parsing;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class SearchValueSyntaxTests
{
    [Theory]
    [InlineData("a,b", new[] { "a", "b" })]
    [InlineData(@"a\,b,c", new[] { @"a\,b", "c" })]
    [InlineData(@"a\\,b", new[] { @"a\\", "b" })]
    [InlineData("a,", new[] { "a", "" })]
    [InlineData("", new[] { "" })]
    public void Split_KeepsEscapesAndSplitsOnUnescapedSeparators(string value, string[] expected)
    {
        Assert.Equal(expected, SearchValueSyntax.Split(value, ','));
    }

    [Theory]
    [InlineData(@"a\,b", "a,b")]
    [InlineData(@"a\$b\|c", "a$b|c")]
    [InlineData(@"a\\b", @"a\b")]
    [InlineData(@"a\nb", @"a\nb")]
    [InlineData(@"trailing\", @"trailing\")]
    public void Unescape_ResolvesTheFourEscapesOnly(string value, string expected)
    {
        Assert.Equal(expected, SearchValueSyntax.Unescape(value));
    }

    [Fact]
    public void IndexOf_SkipsEscapedSeparators()
    {
        Assert.Equal(4, SearchValueSyntax.IndexOf(@"a\|b|c", '|'));
        Assert.Equal(-1, SearchValueSyntax.IndexOf(@"a\|b", '|'));
    }

    [Fact]
    public void QueryString_Parse_DecodesPairsInOrder()
    {
        var pairs = QueryStringEncoding.Parse("?name=Li+Wei&code=http%3A%2F%2Floinc.org%7C1&flag&_has%3AObservation%3Apatient%3Acode=x");

        Assert.Equal(
            [new("name", "Li Wei"), new("code", "http://loinc.org|1"), new("flag", ""), new KeyValuePair<string, string>("_has:Observation:patient:code", "x")],
            pairs);
    }

    [Fact]
    public void QueryString_Build_RoundTrips()
    {
        KeyValuePair<string, string>[] pairs = [new("date", "ge2020-01-01T00:00+08:00"), new("name", "张 & co"), new("code", @"a\,b|c")];

        Assert.Equal(pairs, QueryStringEncoding.Parse(QueryStringEncoding.Build(pairs)));
    }
}
