using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>A primitive's value as FHIR writes it in JSON (invariant culture, booleans lower case), or null when it has none.</summary>
internal static class PrimitiveText
{
    public static string? Of(PrimitiveType primitive) => primitive.JsonValue switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        object other => other.ToString(),
    };
}
