using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class UcumCanonicalTests
{
    [Fact]
    public void TryCanonicalize_OneGramAndThousandMilligrams_Equal()
    {
        Assert.True(UcumCanonical.TryCanonicalize(1, "g", out decimal grams, out string gramUnit));
        Assert.True(UcumCanonical.TryCanonicalize(1000, "mg", out decimal milligrams, out string milligramUnit));

        Assert.Equal(gramUnit, milligramUnit);
        Assert.Equal(grams, milligrams);
    }

    [Theory]
    [InlineData(120, "mm[Hg]", 15998640, "g.m-1.s-2")]
    [InlineData(2.5, "kg", 2500, "g")]
    [InlineData(5, "mg/dL", 50, "g.m-3")]
    [InlineData(3, "wk", 1814400, "s")]
    [InlineData(12, "[in_i]", 0.3048, "m")]
    [InlineData(50, "%", 0.5, "")]
    public void TryCanonicalize_CommonClinicalUnits_BaseUnits(double value, string code, double expected, string unit)
    {
        Assert.True(UcumCanonical.TryCanonicalize((decimal)value, code, out decimal canonical, out string canonicalUnit));

        Assert.Equal((decimal)expected, canonical);
        Assert.Equal(unit, canonicalUnit);
    }

    [Fact]
    public void TryCanonicalize_RepeatedUnit_SameResultAsTheFirstTime()
    {
        // The factor of a unit is learnt on first use; later values must convert exactly as the first did.
        Assert.True(UcumCanonical.TryCanonicalize(1.5m, "km/h", out decimal first, out string unit));

        foreach (decimal value in new[] { 0m, 1.5m, 123.456m, 0.001m, 1_000_000m })
        {
            Assert.True(UcumCanonical.TryCanonicalize(value, "km/h", out decimal canonical, out string again));
            Assert.Equal(unit, again);
            Assert.Equal(value * (first / 1.5m), canonical, 20);
        }
    }

    [Theory]
    [InlineData("not-a-unit")]
    [InlineData("Cel")]
    [InlineData("")]
    public void TryCanonicalize_UnknownOrUnsupportedUnit_False(string code) =>
        Assert.False(UcumCanonical.TryCanonicalize(1, code, out _, out _));

    [Fact]
    public void TryCanonicalize_ResultTooLargeForDecimal_False() =>
        Assert.False(UcumCanonical.TryCanonicalize(decimal.MaxValue / 10, "mmol/L", out _, out _));
}
