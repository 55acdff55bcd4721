using System.Globalization;
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
            // integer, positiveInt and unsignedInt carry an int, decimal a decimal; integer64 (not in R4) a string.
            case PrimitiveType { JsonValue: int or decimal } primitive:
                into.Add(new NumberIndexEntry(parameter, Convert.ToDecimal(primitive.JsonValue, CultureInfo.InvariantCulture)));
                break;
            case Integer64 { Value: { } large }:
                into.Add(new NumberIndexEntry(parameter, large));
                break;
            case Hl7.Fhir.Model.Range range:
                foreach (Quantity? end in (ReadOnlySpan<Quantity?>)[range.Low, range.High])
                {
                    if (end?.Value is { } number)
                    {
                        into.Add(new NumberIndexEntry(parameter, number));
                    }
                }

                break;
        }
    }
}
