using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using OpenHip.Fhir.Validation;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Firely parsing and serialization with the settings the server uses everywhere: strict on input
/// (unknown elements, wrong types and bad primitives are errors, see <see cref="FhirResourceParser"/>), compact JSON at rest.
/// </summary>
public static class FhirCodec
{
    private static readonly BaseFhirJsonSerializer JsonSerializer = new(ModelInfo.ModelInspector);

    private static readonly BaseFhirXmlSerializer XmlSerializer = new(ModelInfo.ModelInspector);

    private static readonly FhirResourceParser RequestParser = new();

    // Stored JSON was validated strictly when it was written, so reading it back skips the syntax pre-scan and every
    // per-element check (Ostrich mode): judging a read under an access policy parses each resource, and validation
    // was half of that parse.
    private static readonly FhirJsonDeserializer StoredDeserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    /// <summary>Parses a request body strictly: 400 when it is not JSON at all or nests too deep, 422 for invalid content.</summary>
    public static Resource ParseJson(ReadOnlySpan<byte> json) => RequestParser.ParseJsonOrThrow(json);

    public static Resource ParseXml(string xml) => RequestParser.ParseXmlOrThrow(xml);

    /// <summary>Parses JSON this server stored itself (no request limits apply).</summary>
    public static Resource ParseStored(ReadOnlySpan<byte> json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json, new System.Text.Json.JsonReaderOptions { MaxDepth = 1000 });
        return StoredDeserializer.DeserializeResource(ref reader);
    }

    public static byte[] ToJsonBytes(Base resource, bool pretty = false) =>
        JsonSerializer.SerializeToBytes(resource, pretty, null);

    public static byte[] ToXmlBytes(Base resource, bool pretty = false) =>
        XmlSerializer.SerializeToBytes(resource, pretty, null, null);

    /// <summary>A subset of the resource as R4 _summary / _elements ask for (elements only apply when summary is False).</summary>
    public static byte[] ToJsonBytes(Base resource, bool pretty, SummaryType summary, string[]? elements) =>
        JsonSerializer.SerializeToBytes(resource, summary: summary, elements: elements, pretty: pretty, includeMandatoryInElementsSummary: true);

    public static byte[] ToXmlBytes(Base resource, bool pretty, SummaryType summary, string[]? elements) =>
        XmlSerializer.SerializeToBytes(resource, summary: summary, elements: elements, pretty: pretty, includeMandatoryInElementsSummary: true);

    public static string ToJsonString(Base resource, bool pretty = false) =>
        Encoding.UTF8.GetString(ToJsonBytes(resource, pretty));
}
