using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// number and quantity values. A quantity is <c>[prefix]number</c> or <c>[prefix]number|system|code</c>; with a UCUM
/// (or no) system and a unit UCUM understands, value, range and unit are canonicalised the way the indexer
/// canonicalises stored quantities, so 1 g finds 1000 mg.
/// </summary>
internal static class QuantityValueParser
{
    public static NumberExpression ParseNumber(string parameter, string raw, RawParameter source)
    {
        (SearchPrefix prefix, string number) = SearchPrefixes.Split(raw, source);
        (decimal value, decimal low, decimal high) = DecimalPrecision.Parse(number, source);
        return new NumberExpression(parameter, prefix, value, low, high);
    }

    /// <summary>
    /// With no system, R4 matches the code or the human unit as written, so a canonical UCUM comparison is joined by
    /// one on the value as written (<c>5.4||mg</c> also finds a quantity whose unit text is "mg").
    /// </summary>
    public static SearchExpression ParseQuantity(string parameter, string raw, RawParameter source)
    {
        List<string> parts = SearchValueSyntax.Split(raw, '|');
        if (parts.Count is not (1 or 3))
        {
            throw source.Invalid("a quantity is number or number|system|code");
        }

        (SearchPrefix prefix, string number) = SearchPrefixes.Split(parts[0], source);
        (decimal value, decimal low, decimal high) = DecimalPrecision.Parse(number, source);
        string? system = parts.Count == 3 ? NullIfEmpty(SearchValueSyntax.Unescape(parts[1])) : null;
        string? code = parts.Count == 3 ? NullIfEmpty(SearchValueSyntax.Unescape(parts[2])) : null;

        if (code is not null
            && system is null or UcumCanonical.System
            && UcumCanonical.TryCanonicalize(value, code, out decimal canonicalValue, out string canonicalCode)
            && UcumCanonical.TryCanonicalize(low, code, out decimal canonicalLow, out _)
            && UcumCanonical.TryCanonicalize(high, code, out decimal canonicalHigh, out _))
        {
            var canonical = new QuantityExpression(parameter, prefix, canonicalValue, canonicalLow, canonicalHigh, UcumCanonical.System, canonicalCode, Canonical: true);
            return system is null
                ? new OrExpression([canonical, new QuantityExpression(parameter, prefix, value, low, high, null, code, Canonical: false)])
                : canonical;
        }

        return new QuantityExpression(parameter, prefix, value, low, high, system, code, Canonical: false);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
