using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Encrypts and decrypts element values inside stored resource JSON: any object whose <c>system</c> is protected has
/// its string <c>value</c> replaced by an <see cref="EncryptedValue"/> (Identifier, ContactPoint, Reference.identifier,
/// in contained resources and Bundle entries too). It works on the stored bytes, below the engine, so every path that
/// writes or reads resources (REST, transactions, import, reindex, MPI) goes through it without knowing.
/// </summary>
internal static class JsonFieldProtector
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored JSON is never embedded in HTML; keep non-ASCII text (Han names) as UTF-8, as the engine writes it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The document with every protected value encrypted under <paramref name="key"/>, and those plaintexts (so the
    /// caller can keep them out of the index too); null when there was nothing to protect.
    /// </summary>
    public static (byte[] Json, HashSet<string> Plaintexts)? Protect(
        ReadOnlyMemory<byte> json, ProtectedSystems systems, DataKey key, string type, string id)
    {
        if (json.IsEmpty || !systems.MayOccurIn(json.Span))
        {
            return null;
        }

        JsonNode? root = JsonNode.Parse(json.Span);
        HashSet<string> plaintexts = new(StringComparer.Ordinal);
        Visit(root, obj =>
        {
            if (obj["system"] is JsonValue system && system.TryGetValue(out string? s) && systems.IsProtected(s)
                && obj["value"] is JsonValue value && value.TryGetValue(out string? v) && !EncryptedValue.IsEncrypted(v))
            {
                plaintexts.Add(v);
                obj["value"] = EncryptedValue.Encrypt(key, v, type, id, s);
            }
        });

        return plaintexts.Count == 0 ? null : (Write(root), plaintexts);
    }

    /// <summary>Whether the stored document holds any encrypted value (a byte search; most documents hold none).</summary>
    public static bool NeedsReveal(ReadOnlySpan<byte> json) => !json.IsEmpty && json.IndexOf(EncryptedValue.JsonMarker) >= 0;

    /// <summary>The document with its encrypted values decrypted, and the plaintexts.</summary>
    /// <param name="keys">Looks a data key up by id (loading it is the caller's business: see <see cref="ProtectedFhirStore"/>).</param>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A value was altered, moved, or its key is unknown.</exception>
    public static (byte[] Json, HashSet<string> Plaintexts) Reveal(ReadOnlySpan<byte> json, Func<string, DataKey> keys, string type, string id)
    {
        JsonNode? root = JsonNode.Parse(json);
        HashSet<string> plaintexts = new(StringComparer.Ordinal);
        Visit(root, obj =>
        {
            if (obj["value"] is JsonValue value && value.TryGetValue(out string? v) && EncryptedValue.IsEncrypted(v))
            {
                string? system = obj["system"] is JsonValue s && s.TryGetValue(out string? text) ? text : null;
                string plaintext = EncryptedValue.Decrypt(keys(EncryptedValue.KeyIdOf(v)), v, type, id, system);
                plaintexts.Add(plaintext);
                obj["value"] = plaintext;
            }
        });

        return (Write(root), plaintexts);
    }

    private static void Visit(JsonNode? node, Action<JsonObject> onObject)
    {
        switch (node)
        {
            case JsonObject obj:
                onObject(obj);
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    if (property.Value is JsonObject or JsonArray)
                    {
                        Visit(property.Value, onObject);
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Visit(item, onObject);
                }

                break;
        }
    }

    private static byte[] Write(JsonNode? root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            (root ?? throw new JsonException("Stored JSON is null.")).WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
