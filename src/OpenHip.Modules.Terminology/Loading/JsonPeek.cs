using System.Text.Json;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>Reads one top-level string property of a JSON object without parsing the rest into a resource.</summary>
internal static class JsonPeek
{
    /// <summary>The property's string value; null when the JSON is no object or the property is absent or not a string.</summary>
    /// <exception cref="JsonException">The JSON is malformed before the property is found.</exception>
    public static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> property)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool wanted = reader.ValueTextEquals(property);
            reader.Read();
            if (wanted)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }
}
