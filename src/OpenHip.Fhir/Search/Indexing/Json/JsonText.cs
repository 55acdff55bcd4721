using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing.Json;

/// <summary>
/// Primitive values of resource JSON as <see cref="PrimitiveText"/> gives them for the POCO. Anything whose POCO text
/// could differ from the JSON (an instant, which the POCO holds as a DateTimeOffset; a number where text belongs) is
/// left to the POCO by throwing <see cref="JsonShapeNotCompiledException"/>.
/// </summary>
internal static class JsonText
{
    public static string? OfPrimitive(JsonElement json, Type type) => json.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when type != typeof(Instant) => json.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number when IsInteger(type) && json.TryGetInt32(out int i) => i.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number when type == typeof(FhirDecimal) && json.TryGetDecimal(out decimal d) => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonShapeNotCompiledException(),
    };

    // Names are UTF-8 (u8 literals): a lookup by a .NET string transcodes the name on every call, and the import looks up
    // several members of every value it indexes.

    /// <summary>A string member of an object (null when absent).</summary>
    public static string? Member(JsonElement json, ReadOnlySpan<byte> name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out JsonElement value) ? OfPrimitive(value, typeof(FhirString)) : null;

    /// <summary>A decimal member (Quantity.value, Money.value); null when absent.</summary>
    public static decimal? Decimal(JsonElement json, ReadOnlySpan<byte> name) =>
        json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) ? d
        : throw new JsonShapeNotCompiledException();

    /// <summary>An object member (null when absent).</summary>
    public static JsonElement? Object(JsonElement json, ReadOnlySpan<byte> name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>The items of an array member (none when absent).</summary>
    public static IEnumerable<JsonElement> Items(JsonElement json, ReadOnlySpan<byte> name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out JsonElement value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new JsonShapeNotCompiledException();
    }

    public static bool IsInteger(Type type) => type == typeof(Integer) || type == typeof(PositiveInt) || type == typeof(UnsignedInt);
}
