using System.Text.Json;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// An <see cref="AuditRecord"/> as the bytes a log row keeps. Versions 3 to 5 (5 written now) are binary
/// (<see cref="BinaryAuditPayload"/>); versions 1 and 2 were compact JSON and still read: rows are never rewritten, and
/// their hashes cover the bytes as written. A JSON payload starts with '{', a binary one with its version byte.
/// </summary>
internal static class AuditPayload
{
    public const int Version = BinaryAuditPayload.Version;

    public static byte[] Write(AuditRecord record) => BinaryAuditPayload.Write(record);

    /// <exception cref="FormatException">The bytes are no payload of any version.</exception>
    public static AuditRecord Read(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new FormatException("An empty audit payload");
        }

        if (BinaryAuditPayload.IsBinary(payload))
        {
            return BinaryAuditPayload.Read(payload);
        }

        try
        {
            return ReadJson(payload);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("Not an audit payload: " + ex.Message, ex);
        }
    }

    // Versions 1 and 2: version 2 added the BALP fields (client, user, purpose of use, network address, query) as
    // optional properties, so version 1 rows read without them.
    private static AuditRecord ReadJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        List<string> patients = Strings(root, "patients");
        return new AuditRecord(
            root.GetProperty("when").GetDateTimeOffset(),
            root.GetProperty("interaction").GetString() ?? "unknown",
            Optional(root, "who"),
            Optional(root, "source"),
            Optional(root, "resource"),
            patients,
            root.GetProperty("outcome").GetInt32(),
            Optional(root, "correlation"))
        {
            Priority = Optional(root, "priority") == "high" ? AuditPriority.High : AuditPriority.Normal,
            ClientId = Optional(root, "client"),
            User = Optional(root, "user"),
            PurposeOfUse = Strings(root, "purpose"),
            NetworkAddress = Optional(root, "address"),
            Query = Optional(root, "query"),
        };
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(p => p.GetString() ?? string.Empty)]
            : [];

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
