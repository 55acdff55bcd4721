using System.Collections.Concurrent;
using System.Globalization;
using Fhir.Metrics;

namespace OpenHip.Fhir.Search;

/// <summary>
/// A UCUM quantity in canonical base units (1 g → 1000 mg compare equal), used by both the quantity indexer and
/// quantity search values so that <c>value-quantity=1|http://unitsofmeasure.org|g</c> finds "1000 mg".
/// </summary>
/// <remarks>
/// Fhir.Metrics parses the unit expression on every call (0.1–2.5 ms each; mm[Hg] is the slowest), which made quantity
/// indexing dominate the write path. Its conversions are all multiplications (it does not convert Cel or [degF]), so the
/// factor of each unit code is learnt once and reused; a unit that does not behave linearly is converted each time.
/// </remarks>
public static class UcumCanonical
{
    public const string System = "http://unitsofmeasure.org";

    /// <summary>Unit codes come from clients; past this many distinct codes the rest are converted without caching.</summary>
    private const int MaxCachedUnits = 10_000;

    private static readonly ConcurrentDictionary<string, Conversion> Conversions = new(StringComparer.Ordinal);

    public static bool TryCanonicalize(decimal value, string code, out decimal canonicalValue, out string canonicalCode)
    {
        ArgumentNullException.ThrowIfNull(code);
        canonicalValue = 0;
        canonicalCode = string.Empty;

        // Fhir.Metrics reads an empty unit as unity ("1"); an empty code is no unit at all.
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        if (!Conversions.TryGetValue(code, out Conversion? conversion))
        {
            conversion = Learn(code);
            if (Conversions.Count < MaxCachedUnits)
            {
                Conversions.TryAdd(code, conversion);
            }
        }

        canonicalCode = conversion.Unit ?? string.Empty;
        switch (conversion.Kind)
        {
            case ConversionKind.Linear:
                try
                {
                    canonicalValue = value * conversion.Factor;
                    return true;
                }
                catch (OverflowException)
                {
                    return false;
                }

            case ConversionKind.Other:
                return TryConvert(value, code, out canonicalValue, out canonicalCode);
            default:
                return false;
        }
    }

    private static Conversion Learn(string code)
    {
        if (!TryConvert(1m, code, out decimal one, out string unit))
        {
            return new Conversion(ConversionKind.None, 0, null);
        }

        bool linear = TryConvert(0m, code, out decimal zero, out string zeroUnit) && zero == 0 && zeroUnit == unit
            && TryConvert(7m, code, out decimal seven, out string sevenUnit) && sevenUnit == unit && Close(seven, 7 * one);
        return new Conversion(linear ? ConversionKind.Linear : ConversionKind.Other, one, unit);
    }

    /// <summary>Equal but for the last of decimal's 28–29 significant digits (Fhir.Metrics rounds its products there).</summary>
    private static bool Close(decimal a, decimal b) => a == b || Math.Abs(a - b) <= Math.Abs(b) * 1e-20m;

    private static bool TryConvert(decimal value, string code, out decimal canonicalValue, out string canonicalCode)
    {
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

    private enum ConversionKind
    {
        None,
        Linear,
        Other,
    }

    private sealed record Conversion(ConversionKind Kind, decimal Factor, string? Unit);
}
