using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class StringParameterTests
{
    [Fact]
    public void Parse_PlainString_IsNormalizedStartsWith()
    {
        AssertTree(new StringExpression("name", StringMatch.StartsWith, "muller"), Filter("Patient", "name=Müller"));
    }

    [Fact]
    public void Parse_HanName_PassesThroughUnchanged()
    {
        AssertTree(new StringExpression("name", StringMatch.StartsWith, "张"), Filter("Patient", "name=张"));
    }

    [Fact]
    public void Parse_Exact_KeepsCaseAndAccents()
    {
        AssertTree(new StringExpression("family", StringMatch.Exact, "Müller"), Filter("Patient", "family:exact=Müller"));
    }

    [Fact]
    public void Parse_Contains_IsNormalized()
    {
        AssertTree(new StringExpression("address", StringMatch.Contains, "beijing"), Filter("Patient", "address:contains=BEIJING"));
    }

    [Fact]
    public void Parse_TextModifier_IsTheDefaultMatch()
    {
        AssertTree(new StringExpression("name", StringMatch.StartsWith, "zhang"), Filter("Patient", "name:text=Zhang"));
    }

    [Fact]
    public void Parse_CommaList_IsOr()
    {
        AssertTree(
            new OrExpression([new StringExpression("name", StringMatch.StartsWith, "zhang"), new StringExpression("name", StringMatch.StartsWith, "li")]),
            Filter("Patient", "name=Zhang,Li"));
    }

    [Fact]
    public void Parse_RepeatedParameter_IsAnd()
    {
        AssertTree(
            new AndExpression([new StringExpression("name", StringMatch.StartsWith, "zhang"), new StringExpression("name", StringMatch.StartsWith, "wei")]),
            Filter("Patient", "name=Zhang&name=Wei"));
    }

    [Fact]
    public void Parse_EscapedComma_IsOneValue()
    {
        AssertTree(new StringExpression("name", StringMatch.Exact, "Zhang, Wei"), Filter("Patient", @"name:exact=Zhang\, Wei"));
    }

    [Fact]
    public void Parse_EscapedBackslashThenComma_SplitsAfterTheBackslash()
    {
        AssertTree(
            new OrExpression([new StringExpression("name", StringMatch.Exact, @"a\"), new StringExpression("name", StringMatch.Exact, "b")]),
            Filter("Patient", @"name:exact=a\\,b"));
    }

    [Fact]
    public void Parse_EscapedDollarAndBar_AreLiteral()
    {
        AssertTree(new StringExpression("name", StringMatch.Exact, "a$b|c"), Filter("Patient", @"name:exact=a\$b\|c"));
    }

    [Fact]
    public void Parse_Missing_IsMissingExpressionOfStringKind()
    {
        AssertTree(new MissingExpression("family", IndexKind.String, false), Filter("Patient", "family:missing=false"));
    }

    [Fact]
    public void Parse_PrefixOnString_Is400NamingTheParameter()
    {
        var error = Fails("Patient", "name=ge2020");

        Assert.Contains("'name=ge2020'", error.Message, StringComparison.Ordinal);
        Assert.Contains("string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PrefixLikeTextWithContains_IsSearchedLiterally()
    {
        AssertTree(new StringExpression("name", StringMatch.Contains, "ge2020"), Filter("Patient", "name:contains=ge2020"));
    }

    [Fact]
    public void Parse_WordStartingWithPrefixLetters_IsText()
    {
        AssertTree(new StringExpression("name", StringMatch.StartsWith, "gerald"), Filter("Patient", "name=Gerald"));
    }

    [Theory]
    [InlineData("name:not=x")]
    [InlineData("name:below=x")]
    [InlineData("name:identifier=x")]
    [InlineData("name:Patient=x")]
    public void Parse_ModifierOfAnotherType_Is400(string query)
    {
        var error = Fails("Patient", query);

        Assert.Contains("not valid on the string parameter 'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownModifier_Is400()
    {
        var error = Fails("Patient", "name:fuzzy=x");

        Assert.Contains("unknown modifier :fuzzy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingWithOtherValue_Is400()
    {
        Assert.Contains("true or false", Fails("Patient", "name:missing=yes").Message, StringComparison.Ordinal);
    }
}
