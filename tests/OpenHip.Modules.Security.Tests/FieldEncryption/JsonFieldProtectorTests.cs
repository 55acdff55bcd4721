using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>
/// The byte-splicing protector: which values it encrypts (any object whose <c>system</c> is protected, wherever the
/// object stands and whichever member comes first), and that every byte it does not replace stays as it was.
/// </summary>
public sealed class JsonFieldProtectorTests
{
    private const string Resident = ProtectedPatient.ResidentSystem;
    private static readonly DataKey Key = new("0a1b2c3d", Convert.FromHexString("00112233445566778899aabbccddeeff"));
    private static readonly ProtectedSystems Systems = new(FieldEncryptionOptions.DefaultSystems);

    [Fact]
    public void Protect_SystemBeforeOrAfterValue_EncryptsBoth()
    {
        string json = $$"""{"resourceType":"Patient","identifier":[{"system":"{{Resident}}","value":"A-110105194912310021"},{"value":"B-110105194912310022","type":{"text":"NI"},"system":"{{Resident}}"}]}""";

        (JsonNode stored, HashSet<string> plaintexts) = Protect(json);

        Assert.Equal(["A-110105194912310021", "B-110105194912310022"], plaintexts.Order(StringComparer.Ordinal));
        Assert.True(EncryptedValue.IsEncrypted((string)stored["identifier"]![0]!["value"]!));
        Assert.True(EncryptedValue.IsEncrypted((string)stored["identifier"]![1]!["value"]!));
        Assert.Equal(json, RoundTrip(json));
    }

    [Fact]
    public void Protect_NestedInContainedExtensionAndReference_EncryptsEveryOne()
    {
        string json = """
            {"resourceType":"Encounter","contained":[{"resourceType":"Patient","id":"c1","identifier":[{"system":"RESIDENT","value":"C-110105194912310021"}]}],
             "extension":[{"url":"http://example.org/x","valueIdentifier":{"system":"http://openhip.org/sid/passport/CHN","value":"E-ppn-12345678"}}],
             "subject":{"identifier":{"value":"R-110105194912310022","system":"RESIDENT","assigner":{"identifier":{"system":"RESIDENT","value":"R-110105194912310023"}}}},
             "identifier":[{"system":"http://openhip.org/sid/mrn/org-1","value":"MRN-1"}]}
            """.Replace("RESIDENT", Resident, StringComparison.Ordinal);

        (JsonNode stored, HashSet<string> plaintexts) = Protect(json);

        Assert.Equal(["C-110105194912310021", "E-ppn-12345678", "R-110105194912310022", "R-110105194912310023"], plaintexts.Order());
        Assert.True(EncryptedValue.IsEncrypted((string)stored["contained"]![0]!["identifier"]![0]!["value"]!));
        Assert.True(EncryptedValue.IsEncrypted((string)stored["extension"]![0]!["valueIdentifier"]!["value"]!));
        Assert.True(EncryptedValue.IsEncrypted((string)stored["subject"]!["identifier"]!["value"]!));
        Assert.True(EncryptedValue.IsEncrypted((string)stored["subject"]!["identifier"]!["assigner"]!["identifier"]!["value"]!));
        Assert.Equal("MRN-1", (string)stored["identifier"]![0]!["value"]!);
        Assert.Equal(json, RoundTrip(json));
    }

    [Fact]
    public void Protect_EscapedValue_EncryptsTheUnescapedText()
    {
        string json = $$"""{"resourceType":"Patient","identifier":[{"system":"{{Resident}}","value":"A\"1\\2\u00e9\n"}]}""";

        (JsonNode stored, HashSet<string> plaintexts) = Protect(json);

        Assert.Equal("A\"1\\2é\n", Assert.Single(plaintexts));
        JsonNode revealed = JsonNode.Parse(Reveal(Encoding.UTF8.GetBytes(stored.ToJsonString())))!;
        Assert.Equal("A\"1\\2é\n", (string)revealed["identifier"]![0]!["value"]!);
    }

    [Fact]
    public void Protect_UnicodeValue_RevealsAsUtf8()
    {
        string json = $$"""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/passport/HKG","value":"王明№１２３"}],"name":[{"text":"王明"}]}""";

        (_, HashSet<string> plaintexts) = Protect(json);

        Assert.Equal("王明№１２３", Assert.Single(plaintexts));
        Assert.Equal(json, RoundTrip(json));
    }

    [Fact]
    public void Reveal_ValueOutsideTheBasicPlane_ComesBackEscapedAsTheEngineWritesIt()
    {
        // UnsafeRelaxedJsonEscaping, as the JsonNode rewrite used, escapes surrogate pairs; the text is the same.
        string json = $$"""{"resourceType":"Patient","identifier":[{"system":"{{Resident}}","value":"A😀1"}]}""";

        Assert.Equal(json.Replace("😀", "\\uD83D\\uDE00", StringComparison.Ordinal), RoundTrip(json));
        Assert.Equal("A😀1", (string)JsonNode.Parse(RoundTrip(json))!["identifier"]![0]!["value"]!);
    }

    [Fact]
    public void Protect_UntouchedBytes_StayExactlyAsWritten()
    {
        // Whitespace and escapes that a parse and re-serialisation would have normalised.
        string json = "{ \"resourceType\" : \"Patient\",\n  \"name\" : [ { \"text\" : \"\\u738b\\/x\" } ],\n  \"identifier\" : [ { \"system\" : \"" + Resident + "\" , \"value\" : \"A1\" } ] }";
        byte[] input = Encoding.UTF8.GetBytes(json);

        byte[] stored = JsonFieldProtector.Protect(input, Systems, Key, "Patient", "p1")!.Value.Json;

        int at = json.IndexOf("A1", StringComparison.Ordinal);
        Assert.Equal(input[..at], stored[..at]);
        Assert.Equal(input[(at + 2)..], stored[^(input.Length - at - 2)..]);
        Assert.Equal(json, RoundTrip(json));
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"1"}]}}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/mrn/org-1","value":"M1"}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id"}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":12}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":{"v":"x"}}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id"},{"value":"loose"}]}""")]
    public void Protect_NothingToProtect_ReturnsNull(string json)
    {
        Assert.Null(JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(json), Systems, Key, "Patient", "p1"));
    }

    [Fact]
    public void Protect_AlreadyEncryptedValue_IsLeftAsItIs()
    {
        string once = Encoding.UTF8.GetString(JsonFieldProtector.Protect(
            Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","identifier":[{"system":"{{Resident}}","value":"A1"}]}"""), Systems, Key, "Patient", "p1")!.Value.Json);

        Assert.Null(JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(once), Systems, Key, "Patient", "p1"));
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"A1","value":"A2"}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"value":"A1","system":"http://openhip.org/sid/cn-resident-id","value":3}]}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"A1","system":"x"}]}""")]
    public void Protect_DuplicateValueOrSystem_Refuses(string json)
    {
        // A plaintext duplicate would stay in the stored bytes next to the encrypted one.
        Assert.Throws<JsonException>(() => JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(json), Systems, Key, "Patient", "p1"));
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"A1"}""")]
    [InlineData("""{"resourceType":"Patient","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"A1"}]} x""")]
    public void Protect_InvalidJson_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(json), Systems, Key, "Patient", "p1"));
    }

    [Fact]
    public void Reveal_ValueMovedToAnotherSystem_Throws()
    {
        string stored = Encoding.UTF8.GetString(JsonFieldProtector.Protect(
            Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","identifier":[{"system":"{{Resident}}","value":"A1"}]}"""), Systems, Key, "Patient", "p1")!.Value.Json);
        string moved = stored.Replace(Resident, "http://openhip.org/sid/passport/CHN", StringComparison.Ordinal);

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => Reveal(Encoding.UTF8.GetBytes(moved)));
    }

    [Fact]
    public void Scan_AgreesWithJsonNodeOnTheBenchmarkPatient()
    {
        // The JsonNode pass this scan replaced, as the oracle: every object with a protected string system and a string value.
        string json = ProtectedPatient.NewUnique().ToJson().ToJsonString();
        HashSet<string> expected = [];
        Visit(JsonNode.Parse(json), obj =>
        {
            if (obj["system"] is JsonValue s && s.TryGetValue(out string? system) && Systems.IsProtected(system) && obj["value"] is JsonValue v && v.TryGetValue(out string? value))
            {
                expected.Add(value);
            }
        });

        (_, HashSet<string> plaintexts) = Protect(json);

        Assert.Equal(expected.Order(), plaintexts.Order());
        Assert.Equal(json, RoundTrip(json));
    }

    private static (JsonNode Stored, HashSet<string> Plaintexts) Protect(string json)
    {
        (byte[] stored, HashSet<string> plaintexts) = JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(json), Systems, Key, "Patient", "p1")!.Value;
        Assert.DoesNotContain(plaintexts, p => Encoding.UTF8.GetString(stored).Contains(p, StringComparison.Ordinal));
        return (JsonNode.Parse(stored)!, plaintexts);
    }

    private static byte[] Reveal(byte[] stored) => JsonFieldProtector.Reveal(stored, id => id == Key.Id ? Key : throw new KeyNotFoundException(id), "Patient", "p1").Json;

    private static string RoundTrip(string json) =>
        Encoding.UTF8.GetString(Reveal(JsonFieldProtector.Protect(Encoding.UTF8.GetBytes(json), Systems, Key, "Patient", "p1")!.Value.Json));

    private static void Visit(JsonNode? node, Action<JsonObject> onObject)
    {
        if (node is JsonObject obj)
        {
            onObject(obj);
            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                Visit(property.Value, onObject);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Visit(item, onObject);
            }
        }
    }
}
