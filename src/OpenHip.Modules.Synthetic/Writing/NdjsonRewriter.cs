using System.Text.Json;

namespace OpenHip.Modules.Synthetic.Writing;

/// <summary>
/// Turns a bundle entry's JSON into its stand-alone NDJSON form in one token pass (cheaper than serialising the
/// POCO twice): the id goes in after resourceType, and <c>urn:uuid:</c> references become <c>Type/id</c>.
/// </summary>
internal static class NdjsonRewriter
{
    private static ReadOnlySpan<byte> UuidPrefix => "urn:uuid:"u8;

    public static void Rewrite(ReadOnlySpan<byte> json, string? id, IReadOnlyDictionary<string, string> references, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(json);
        bool referenceValue = false;
        bool resourceTypeValue = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    referenceValue = reader.ValueTextEquals("reference"u8);
                    resourceTypeValue = reader.CurrentDepth == 1 && reader.ValueTextEquals("resourceType"u8);
                    if (reader.ValueIsEscaped)
                    {
                        writer.WritePropertyName(reader.GetString()!);
                    }
                    else
                    {
                        writer.WritePropertyName(reader.ValueSpan);
                    }

                    break;
                case JsonTokenType.String:
                    if (referenceValue && reader.ValueSpan.StartsWith(UuidPrefix))
                    {
                        writer.WriteStringValue(references[reader.GetString()!]);
                    }
                    else if (reader.ValueIsEscaped)
                    {
                        writer.WriteStringValue(reader.GetString());
                    }
                    else
                    {
                        writer.WriteStringValue(reader.ValueSpan);
                    }

                    if (resourceTypeValue && id is not null)
                    {
                        writer.WriteString("id"u8, id);
                    }

                    referenceValue = false;
                    resourceTypeValue = false;
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }
        }
    }
}
