using System.Buffers.Text;
using System.Text.Json;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// A keyset position: the sort values and row id of one row, and whether the page wanted lies after or before it.
/// Opaque to clients (base64url JSON); a cursor that does not fit the query is a 400, never a wrong page.
/// </summary>
internal sealed record SearchCursor(bool Backward, long Rid, IReadOnlyList<object?> Values)
{
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(Backward ? "b" : "a");
            json.WriteNumberValue(Rid);
            foreach (object? value in Values)
            {
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case long l:
                        json.WriteStringValue("l" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case double d:
                        json.WriteStringValue("d" + d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteStringValue("s" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndArray();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    public static SearchCursor Decode(string cursor, int sortKeys)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor));
            JsonElement[] items = [.. document.RootElement.EnumerateArray()];
            if (items.Length != sortKeys + 2 || items[0].GetString() is not ("a" or "b"))
            {
                throw Invalid();
            }

            var values = new object?[sortKeys];
            for (int i = 0; i < sortKeys; i++)
            {
                values[i] = items[i + 2].ValueKind == JsonValueKind.Null ? null : ParseValue(items[i + 2].GetString() ?? throw Invalid());
            }

            return new SearchCursor(items[0].GetString() == "b", items[1].GetInt64(), values);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid();
        }
    }

    private static object ParseValue(string text) => text[0] switch
    {
        'l' => long.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture),
        'd' => double.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture),
        's' => text[1..],
        _ => throw Invalid(),
    };

    private static FhirException Invalid() =>
        FhirException.BadRequest("The paging cursor '_cursor' is not valid for this search; start again from the first page.");
}
