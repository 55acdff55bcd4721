using System.Text;
using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Firely parsing and serialization with the settings the server uses everywhere: strict on input
/// (unknown elements, wrong types and bad primitives are errors), compact JSON at rest.
/// </summary>
public static class FhirCodec
{
    private static readonly FhirJsonDeserializer JsonParser =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    private static readonly FhirXmlDeserializer XmlParser =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    private static readonly BaseFhirJsonSerializer JsonSerializer = new(ModelInfo.ModelInspector);

    private static readonly BaseFhirXmlSerializer XmlSerializer = new(ModelInfo.ModelInspector);

    /// <summary>Default maximum JSON nesting depth of request bodies; deeper bodies are refused before binding.</summary>
    public const int DefaultMaxDepth = 64;

    public static Resource ParseJson(ReadOnlySpan<byte> json, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        Resource? resource;
        IEnumerable<CodedException>? errors;
        try
        {
            JsonParser.TryDeserializeResource(ref reader, out resource, out errors);
        }
        catch (JsonException ex)
        {
            throw FhirException.BadRequest($"The body is not valid JSON: {ex.Message}");
        }

        return resource is not null && errors is null ? resource : throw ToException(errors, resource);
    }

    public static Resource ParseXml(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            XmlParser.TryDeserializeResource(reader, out Resource? resource, out IEnumerable<CodedException>? errors);
            return resource is not null && errors is null ? resource : throw ToException(errors, resource);
        }
        catch (XmlException ex)
        {
            throw FhirException.BadRequest($"The body is not valid XML: {ex.Message}");
        }
    }

    public static byte[] ToJsonBytes(Base resource, bool pretty = false) =>
        JsonSerializer.SerializeToBytes(resource, pretty, null);

    public static byte[] ToXmlBytes(Base resource, bool pretty = false) =>
        XmlSerializer.SerializeToBytes(resource, pretty, null, null);

    public static string ToJsonString(Base resource, bool pretty = false) =>
        Encoding.UTF8.GetString(ToJsonBytes(resource, pretty));

    private static FhirException ToException(IEnumerable<CodedException>? errors, Resource? partial)
    {
        List<FhirIssue> issues = [];
        foreach (CodedException error in errors ?? [])
        {
            issues.Add(FhirIssue.Invalid(error.Message, ExpressionOf(error)));
        }

        if (issues.Count == 0)
        {
            issues.Add(FhirIssue.Invalid("The body is not a FHIR resource"));
        }

        // A body whose resourceType is missing or unknown gives no partial result: that is a request problem, not content.
        return new FhirException(partial is null ? FhirErrorKind.BadRequest : FhirErrorKind.Unprocessable, issues);
    }

    private static string? ExpressionOf(CodedException error) => error switch
    {
        ExtendedCodedException e when !string.IsNullOrEmpty(e.InstancePath) => e.InstancePath,
        _ => null,
    };
}
