using System.Buffers;
using System.Text.Json;

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

    public static byte[] Write(JsonElement resource, long version, string lastUpdated)
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
                    WriteMeta(writer, property.Value, version, lastUpdated);
                    continue;
                }

                property.WriteTo(writer);
                if (!hasMeta && property.NameEquals("id"u8))
                {
                    WriteMeta(writer, default, version, lastUpdated);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMeta(Utf8JsonWriter writer, JsonElement meta, long version, string lastUpdated)
    {
        writer.WriteStartObject("meta"u8);
        writer.WriteString("versionId"u8, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("lastUpdated"u8, lastUpdated);
        if (meta.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in meta.EnumerateObject())
            {
                if (!property.NameEquals("versionId"u8) && !property.NameEquals("lastUpdated"u8))
                {
                    property.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }
}
