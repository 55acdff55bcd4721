using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>number: integer, positiveInt, unsignedInt, integer64 and decimal values; a Range (RiskAssessment.probability) as one range.</summary>
internal static class NumberValues
{
    public static void Add(string parameter, Base value, ICollection<IndexEntry> into)
    {
        switch (value)
        {
            // integer, positiveInt and unsignedInt carry an int, decimal a decimal; integer64 (not in R4) a string.
            case PrimitiveType { JsonValue: int or decimal } primitive:
                into.Add(new NumberIndexEntry(parameter, Convert.ToDecimal(primitive.JsonValue, CultureInfo.InvariantCulture)));
                break;
            case Integer64 { Value: { } large }:
                into.Add(new NumberIndexEntry(parameter, large));
                break;
            case FhirDecimal { Value: { } d }:
                into.Add(new NumberIndexEntry(parameter, d));
                break;
            // One entry for the whole range: prefixes compare ranges (eb: the whole range below the value), which two
            // separate end points would get wrong.
            case Hl7.Fhir.Model.Range range when range.Low?.Value is not null || range.High?.Value is not null:
                into.Add(new NumberIndexEntry(parameter, range.Low?.Value ?? decimal.MinValue, range.High?.Value ?? decimal.MaxValue));
                break;
        }
    }
}
