using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// Sets the server's meta.versionId and meta.lastUpdated in resource JSON as written, without a POCO round trip (the
/// bulk import's path). Everything else keeps its order and spelling; meta goes where Firely puts it (after id) when the
/// resource has none, and versionId and lastUpdated lead meta as in Firely's output, so JSON that Firely wrote comes out
/// as Firely would have written it.
/// </summary>
internal static class ServerMetaJson
{
    // The default encoder, as Firely's serializer uses: strings are re-escaped the way the POCO write stores them
    // (non-ASCII and '+' as \u escapes), so the bytes stored do not depend on how the file spelt them.
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    /// <summary>meta.security as Codings, or null when one carries more than system, version, code, display and userSelected.</summary>
    public static List<Coding>? ReadSecurity(JsonElement resource)
    {
        List<Coding> security = [];
        if (!resource.TryGetProperty("meta"u8, out JsonElement meta) || !meta.TryGetProperty("security"u8, out JsonElement codings))
        {
            return security;
        }

        if (codings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement coding in codings.EnumerateArray())
        {
            if (coding.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var read = new Coding();
            foreach (JsonProperty property in coding.EnumerateObject())
            {
                switch (property.Name, property.Value.ValueKind)
                {
                    case ("system", JsonValueKind.String):
                        read.System = property.Value.GetString();
                        break;
                    case ("version", JsonValueKind.String):
                        read.Version = property.Value.GetString();
                        break;
                    case ("code", JsonValueKind.String):
                        read.Code = property.Value.GetString();
                        break;
                    case ("display", JsonValueKind.String):
                        read.Display = property.Value.GetString();
                        break;
                    case ("userSelected", JsonValueKind.True or JsonValueKind.False):
                        read.UserSelected = property.Value.GetBoolean();
                        break;
                    default:
                        return null;
                }
            }

            security.Add(read);
        }

        return security;
    }

    /// <param name="security">meta.security to store instead of the resource's own, or null to keep that.</param>
    public static byte[] Write(JsonElement resource, long version, string lastUpdated, List<Coding>? security)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            bool hasMeta = resource.TryGetProperty("meta"u8, out _);
            foreach (JsonProperty property in resource.EnumerateObject())
            {
                if (property.NameEquals("meta"u8))
                {
                    WriteMeta(writer, property.Value, version, lastUpdated, security);
                    continue;
                }

                property.WriteTo(writer);
                if (!hasMeta && property.NameEquals("id"u8))
                {
                    WriteMeta(writer, default, version, lastUpdated, security);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMeta(Utf8JsonWriter writer, JsonElement meta, long version, string lastUpdated, List<Coding>? security)
    {
        writer.WriteStartObject("meta"u8);
        writer.WriteString("versionId"u8, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("lastUpdated"u8, lastUpdated);
        if (meta.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in meta.EnumerateObject())
            {
                if (property.NameEquals("versionId"u8) || property.NameEquals("lastUpdated"u8) || (security is not null && property.NameEquals("security"u8)))
                {
                    continue;
                }

                // Firely's order: versionId, lastUpdated, source, profile, security, tag.
                if (security is not null && property.NameEquals("tag"u8))
                {
                    WriteSecurity(writer, security);
                    security = null;
                }

                property.WriteTo(writer);
            }
        }

        if (security is not null)
        {
            WriteSecurity(writer, security);
        }

        writer.WriteEndObject();
    }

    private static void WriteSecurity(Utf8JsonWriter writer, List<Coding> security)
    {
        if (security.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("security"u8);
        foreach (Coding coding in security)
        {
            writer.WriteRawValue(FhirCodec.ToJsonBytes(coding), skipInputValidation: true);
        }

        writer.WriteEndArray();
    }
}
