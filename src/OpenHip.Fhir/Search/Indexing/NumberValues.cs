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
            case Integer { Value: { } i }:
                into.Add(new NumberIndexEntry(parameter, i));
                break;
            case PositiveInt { Value: { } positive }:
                into.Add(new NumberIndexEntry(parameter, positive));
                break;
            case UnsignedInt { Value: { } unsigned }:
                into.Add(new NumberIndexEntry(parameter, unsigned));
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
