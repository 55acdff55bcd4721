using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// A signed statement "chain C ended at sequence S with hash H" for every chain a node wrote, numbered in the node's
/// series and linked to the previous checkpoint by its hash, so a checkpoint removed, replayed or reordered breaks the
/// series. <see cref="Body"/> is the exact signed text; the witness keeps it verbatim.
/// </summary>
internal sealed record AuditCheckpoint(
    string Node,
    long Number,
    DateTimeOffset Time,
    string? Previous,
    string PublicKey,
    IReadOnlyList<LaneHead> Chains,
    bool Final,
    byte[] Body,
    byte[] Signature)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>SM3 of the body: what the next checkpoint names as its previous one.</summary>
    public string Hash => Convert.ToHexStringLower(AuditChainCrypto.Hash(Body));

    public static AuditCheckpoint Create(
        string node, long number, DateTimeOffset time, string? previous, AuditSigningKey key, IReadOnlyList<LaneHead> chains, bool final)
    {
        ArgumentNullException.ThrowIfNull(key);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("node", node);
            json.WriteNumber("number", number);
            json.WriteString("time", time.ToUniversalTime());
            if (previous is null)
            {
                json.WriteNull("previous");
            }
            else
            {
                json.WriteString("previous", previous);
            }

            json.WriteString("key", key.PublicKeyHex);
            json.WriteStartArray("chains");
            foreach (LaneHead chain in chains)
            {
                json.WriteStartObject();
                json.WriteString("chain", chain.ChainId);
                json.WriteNumber("seq", chain.Sequence);
                json.WriteString("head", Convert.ToHexStringLower(chain.Hash.Span));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("final", final);
            json.WriteEndObject();
        }

        byte[] body = buffer.WrittenSpan.ToArray();
        return new AuditCheckpoint(node, number, time, previous, key.PublicKeyHex, chains, final, body, key.Sign(body));
    }

    /// <summary>The witness line: <c>{"body":{...},"signature":"base64"}</c>, body verbatim.</summary>
    public string ToLine() =>
        $"{{\"body\":{Encoding.UTF8.GetString(Body)},\"signature\":\"{Convert.ToBase64String(Signature)}\"}}";

    /// <summary>Reads a checkpoint from its stored parts (body and signature), without checking the signature.</summary>
    public static AuditCheckpoint Parse(byte[] body, byte[] signature)
    {
        using var document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        List<LaneHead> chains = [.. root.GetProperty("chains").EnumerateArray().Select(c => new LaneHead(
            c.GetProperty("chain").GetString()!,
            c.GetProperty("seq").GetInt64(),
            Convert.FromHexString(c.GetProperty("head").GetString()!)))];
        return new AuditCheckpoint(
            root.GetProperty("node").GetString()!,
            root.GetProperty("number").GetInt64(),
            root.GetProperty("time").GetDateTimeOffset(),
            root.GetProperty("previous").ValueKind == JsonValueKind.Null ? null : root.GetProperty("previous").GetString(),
            root.GetProperty("key").GetString()!,
            chains,
            root.GetProperty("final").GetBoolean(),
            body,
            signature);
    }

    /// <summary>Reads a witness line (see <see cref="ToLine"/>).</summary>
    /// <exception cref="JsonException">Not a checkpoint line.</exception>
    public static AuditCheckpoint ParseLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        byte[] body = Encoding.UTF8.GetBytes(root.GetProperty("body").GetRawText());
        byte[] signature = Convert.FromBase64String(root.GetProperty("signature").GetString() ?? string.Empty);
        return Parse(body, signature);
    }

    public bool SignatureIsValid() =>
        AuditChainCrypto.Verify(Convert.FromHexString(PublicKey), Body, Signature);
}
