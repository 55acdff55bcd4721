using System.Text.Json;

namespace OpenHip.Fhir.Access;

/// <summary>
/// <c>meta.source</c> (the writing institution) read straight from stored JSON. A consent restriction asks only for it
/// and the compartments, and a forward-only scan of the bytes is far cheaper than a Firely parse of the resource.
/// </summary>
internal static class StoredMetaSource
{
    public static string? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1000 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool meta = reader.ValueTextEquals("meta"u8);
            reader.Read();
            if (!meta || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool source = reader.ValueTextEquals("source"u8);
                reader.Read();
                if (source && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }

            return null;
        }

        return null;
    }
}
