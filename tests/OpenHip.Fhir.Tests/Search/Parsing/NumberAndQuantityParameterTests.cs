using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using Xunit;
using static OpenHip.Fhir.Tests.Search.Parsing.SearchParsing;

namespace OpenHip.Fhir.Tests.Search.Parsing;

public sealed class NumberAndQuantityParameterTests
{
    [Theory]
    [InlineData("100", 100, 99.5, 100.5)]
    [InlineData("100.0", 100, 99.95, 100.05)]
    [InlineData("0.25", 0.25, 0.245, 0.255)]
    [InlineData("-3", -3, -3.5, -2.5)]
    [InlineData("1e2", 100, 50, 150)]
    [InlineData("1.5e-1", 0.15, 0.145, 0.155)]
    public void Parse_Number_CarriesItsImplicitPrecisionRange(string text, double value, double low, double high)
    {
        AssertTree(
            new NumberExpression("probability", SearchPrefix.Eq, (decimal)value, (decimal)low, (decimal)high),
            Filter("RiskAssessment", $"probability={text}"));
    }

    [Fact]
    public void Parse_NumberWithPrefix_KeepsThePrefix()
    {
        AssertTree(new NumberExpression("probability", SearchPrefix.Gt, 0.8m, 0.75m, 0.85m), Filter("RiskAssessment", "probability=gt0.8"));
    }

    [Theory]
    [InlineData("probability=abc")]
    [InlineData("probability=gt")]
    [InlineData("probability=1,2x")]
    [InlineData("probability=1e-40")]
    [InlineData("probability=zz5")]
    public void Parse_MalformedNumber_Is400(string query)
    {
        Assert.Contains("probability", Fails("RiskAssessment", query).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuantityNumberOnly_HasNoUnit()
    {
        AssertTree(
            new QuantityExpression("value-quantity", SearchPrefix.Lt, 60m, 59.5m, 60.5m, null, null, Canonical: false),
            Filter("Observation", "value-quantity=lt60"));
    }

    [Fact]
    public void Parse_UcumQuantity_IsCanonicalised()
    {
        Assert.True(UcumCanonical.TryCanonicalize(1m, "g", out decimal value, out string code));
        Assert.True(UcumCanonical.TryCanonicalize(0.5m, "g", out decimal low, out _));
        Assert.True(UcumCanonical.TryCanonicalize(1.5m, "g", out decimal high, out _));

        AssertTree(
            new QuantityExpression("value-quantity", SearchPrefix.Eq, value, low, high, UcumCanonical.System, code, Canonical: true),
            Filter("Observation", "value-quantity=1|http://unitsofmeasure.org|g"));
    }

    [Fact]
    public void Parse_MilligramsAndGrams_CanonicaliseToTheSameUnit()
    {
        var grams = (QuantityExpression)Filter("Observation", "value-quantity=1|http://unitsofmeasure.org|g")!;
        var milligrams = (QuantityExpression)Filter("Observation", "value-quantity=1000|http://unitsofmeasure.org|mg")!;

        Assert.Equal(grams.Code, milligrams.Code);
        Assert.Equal(grams.Value, milligrams.Value);
    }

    [Fact]
    public void Parse_QuantityWithoutSystem_IsCanonicalisedAndAlsoMatchedAsWritten()
    {
        var either = (OrExpression)Filter("Observation", "value-quantity=5.4||mg")!;
        var canonical = (QuantityExpression)either.Operands[0];
        var asWritten = (QuantityExpression)either.Operands[1];

        Assert.True(canonical.Canonical);
        Assert.Equal(UcumCanonical.System, canonical.System);
        Assert.False(asWritten.Canonical);
        Assert.Null(asWritten.System);
        Assert.Equal("mg", asWritten.Code);
    }

    [Fact]
    public void Parse_QuantityInAnotherSystem_IsKeptAsWritten()
    {
        AssertTree(
            new QuantityExpression("value-quantity", SearchPrefix.Ge, 5m, 4.5m, 5.5m, "http://openhip.org/units", "tablet", Canonical: false),
            Filter("Observation", "value-quantity=ge5|http://openhip.org/units|tablet"));
    }

    [Fact]
    public void Parse_UcumSystemWithUnknownUnit_IsKeptAsWritten()
    {
        AssertTree(
            new QuantityExpression("value-quantity", SearchPrefix.Eq, 5m, 4.5m, 5.5m, UcumCanonical.System, "notaunit{", Canonical: false),
            Filter("Observation", "value-quantity=5|http://unitsofmeasure.org|notaunit{"));
    }

    [Theory]
    [InlineData("value-quantity=5|mg")]
    [InlineData("value-quantity=5|a|b|c")]
    [InlineData("value-quantity=five||mg")]
    public void Parse_MalformedQuantity_Is400(string query)
    {
        Assert.Contains("value-quantity", Fails("Observation", query).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuantityMissing_IsQuantityKind()
    {
        AssertTree(new MissingExpression("value-quantity", IndexKind.Quantity, true), Filter("Observation", "value-quantity:missing=true"));
    }
}
