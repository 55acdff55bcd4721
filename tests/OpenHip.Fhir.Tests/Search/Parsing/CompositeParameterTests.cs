using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class CompositeParameterTests
{
    [Fact]
    public void Parse_TokenAndQuantity_ComponentsArePositional()
    {
        Assert.True(UcumCanonical.TryCanonicalize(60m, "mm[Hg]", out decimal value, out string code));
        Assert.True(UcumCanonical.TryCanonicalize(59.5m, "mm[Hg]", out decimal low, out _));
        Assert.True(UcumCanonical.TryCanonicalize(60.5m, "mm[Hg]", out decimal high, out _));

        AssertTree(
            new CompositeExpression(
                "component-code-value-quantity",
                [
                    new TokenExpression("0", "http://loinc.org", "8480-6"),
                    new QuantityExpression("1", SearchPrefix.Lt, value, low, high, UcumCanonical.System, code, Canonical: true),
                ]),
            Filter("Observation", "component-code-value-quantity=http://loinc.org|8480-6$lt60|http://unitsofmeasure.org|mm[Hg]"));
    }

    [Fact]
    public void Parse_CompositeList_IsOrOfComposites()
    {
        AssertTree(
            new OrExpression(
            [
                new CompositeExpression("code-value-concept", [new TokenExpression("0", null, "a"), new TokenExpression("1", null, "b")]),
                new CompositeExpression("code-value-concept", [new TokenExpression("0", null, "c"), new TokenExpression("1", null, "d")]),
            ]),
            Filter("Observation", "code-value-concept=a$b,c$d"));
    }

    [Fact]
    public void Parse_EscapedDollar_StaysInTheComponent()
    {
        AssertTree(
            new CompositeExpression("code-value-concept", [new TokenExpression("0", null, "a$b"), new TokenExpression("1", null, "c")]),
            Filter("Observation", @"code-value-concept=a\$b$c"));
    }

    [Fact]
    public void Parse_DateComponent_UsesDateParsing()
    {
        AssertTree(
            new CompositeExpression(
                "code-value-date",
                [new TokenExpression("0", null, "x"), new DateExpression("1", SearchPrefix.Ge, At(2020, 1, 1), At(2020, 12, 31, 23, 59, 59, 999))]),
            Filter("Observation", "code-value-date=x$ge2020"));
    }

    [Fact]
    public void Parse_WrongNumberOfComponents_Is400()
    {
        Assert.Contains("2 values separated by '$'", Fails("Observation", "code-value-concept=a").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CompositeMissing_IsCompositeKind()
    {
        AssertTree(new MissingExpression("code-value-concept", IndexKind.Composite, true), Filter("Observation", "code-value-concept:missing=true"));
    }
}
