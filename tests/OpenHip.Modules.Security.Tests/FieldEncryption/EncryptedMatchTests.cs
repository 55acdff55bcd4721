using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>
/// The MPI reads patients through the engine, so with field encryption on it must still match on the national ID
/// (stored encrypted, indexed blinded) as it does in plain.
/// </summary>
public sealed class EncryptedMatchTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-field-encryption", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Match_ByNationalId_FindsPatientStoredEncrypted()
    {
        await using EncryptedServer server = await EncryptedServer.StartAsync(EncryptedServer.SettingsFor(_directory));
        string residentId = ValidResidentId("110105", "19491231", 17);
        var stored = new ProtectedPatient(residentId, "E12345678", "13912345678", "Zhang");
        (HttpStatusCode created, JsonObject body) = await server.SendAsync(HttpMethod.Post, "Patient", stored.ToJson());
        Assert.Equal(HttpStatusCode.Created, created);
        string id = body["id"]!.GetValue<string>();

        // The candidate shares only the national ID, birth date and gender: another spelling of the name, no phone.
        JsonObject candidate = new ProtectedPatient(residentId, "G00000000", "13000000000", "Chang").ToJson();
        candidate["identifier"] = new JsonArray(new JsonObject { ["system"] = ProtectedPatient.ResidentSystem, ["value"] = residentId });
        candidate.Remove("telecom");
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(new JsonObject { ["name"] = "resource", ["resource"] = candidate }),
        };

        // The MPI's blocking index follows writes through the outbox: give it a moment.
        JsonObject? match = null;
        for (int attempt = 0; attempt < 50 && match is null; attempt++)
        {
            (HttpStatusCode status, JsonObject bundle) = await server.SendAsync(HttpMethod.Post, "Patient/$match", parameters);
            Assert.Equal(HttpStatusCode.OK, status);
            match = (bundle["entry"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(e => e["fullUrl"]?.GetValue<string>().EndsWith("/Patient/" + id, StringComparison.Ordinal) == true);
            if (match is null)
            {
                await Task.Delay(200);
            }
        }

        Assert.NotNull(match);
        Assert.Equal(residentId, match["resource"]!["identifier"]!.AsArray()
            .Single(i => i!["system"]!.GetValue<string>() == ProtectedPatient.ResidentSystem)!["value"]!.GetValue<string>());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A GB 11643 resident ID with its ISO 7064 MOD 11-2 check character, as the MPI validates it.</summary>
    private static string ValidResidentId(string division, string birth, int sequence)
    {
        string body = division + birth + sequence.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
