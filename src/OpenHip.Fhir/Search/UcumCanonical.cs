using System.Globalization;
using Fhir.Metrics;

namespace OpenHip.Fhir.Search;

/// <summary>
/// A UCUM quantity in canonical base units (1 g → 1000 mg compare equal), used by both the quantity indexer and
/// quantity search values so that <c>value-quantity=1|http://unitsofmeasure.org|g</c> finds "1000 mg".
/// </summary>
public static class UcumCanonical
{
    public const string System = "http://unitsofmeasure.org";

    public static bool TryCanonicalize(decimal value, string code, out decimal canonicalValue, out string canonicalCode)
    {
        ArgumentNullException.ThrowIfNull(code);
        canonicalValue = 0;
        canonicalCode = string.Empty;
        try
        {
            if (FhirMetricService.Instance.Value.TryCanonicalize((value.ToString(CultureInfo.InvariantCulture), code, System), out var canonical)
                && canonical is { } c
                && decimal.TryParse(c.value, NumberStyles.Float, CultureInfo.InvariantCulture, out canonicalValue))
            {
                canonicalCode = c.unit;
                return true;
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or KeyNotFoundException or InvalidOperationException)
        {
            // Fhir.Metrics throws more than the ArgumentException it catches for some malformed unit strings.
        }

        return false;
    }
}
