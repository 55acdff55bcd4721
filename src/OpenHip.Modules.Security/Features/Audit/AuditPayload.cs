using System.Buffers;
using System.Text.Json;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// An <see cref="AuditRecord"/> as the compact JSON a log row keeps. "v" versions the shape: version 2 added the BALP
/// fields (client, user, purpose of use, network address, query) as optional properties, so version 1 rows still read
/// (without them), and readers ignore what they do not know.
/// </summary>
internal static class AuditPayload
{
    public const int Version = 2;

    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    // Every audited request writes one payload: the writer and its buffer are kept per thread, not allocated per event.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _json;

    public static byte[] Write(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArrayBufferWriter<byte> buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Utf8JsonWriter json = _json ??= new Utf8JsonWriter(buffer, Options);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteNumber("v", Version);
        json.WriteString("when", record.When.ToUniversalTime());
        json.WriteString("interaction", record.Interaction);
        WriteOptional(json, "who", record.Who);
        WriteOptional(json, "source", record.Source);
        WriteOptional(json, "resource", record.Resource);
        WriteStrings(json, "patients", record.Patients);

        json.WriteNumber("outcome", record.Outcome);
        WriteOptional(json, "correlation", record.CorrelationId);
        if (record.Priority == AuditPriority.High)
        {
            json.WriteString("priority", "high");
        }

        WriteOptional(json, "client", record.ClientId);
        WriteOptional(json, "user", record.User);
        WriteStrings(json, "purpose", record.PurposeOfUse);

        WriteOptional(json, "address", record.NetworkAddress);
        WriteOptional(json, "query", record.Query);

        json.WriteEndObject();

        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static AuditRecord Read(ReadOnlySpan<byte> payload)
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

    // An empty list is left out: most rows have no patient or purpose, and every byte is hashed and stored.
    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(p => p.GetString() ?? string.Empty)]
            : [];

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
