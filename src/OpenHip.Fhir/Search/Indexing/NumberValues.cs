using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>number: integer, positiveInt, unsignedInt, integer64 and decimal values; a Range (RiskAssessment.probability) by both ends.</summary>
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
            case Hl7.Fhir.Model.Range range:
                if (range.Low?.Value is { } low)
                {
                    into.Add(new NumberIndexEntry(parameter, low));
                }

                if (range.High?.Value is { } high)
                {
                    into.Add(new NumberIndexEntry(parameter, high));
                }

                break;
        }
    }
}
