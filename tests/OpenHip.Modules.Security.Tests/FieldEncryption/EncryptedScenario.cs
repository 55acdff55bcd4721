using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>What every store must show with field encryption on, written once and run on SQLite and PostgreSQL.</summary>
internal static class EncryptedScenario
{
    /// <summary>Writes protected patients through create, conditional create and a transaction; checks reads and searches.</summary>
    public static async Task<ProtectedPatient[]> WriteAndSearchAsync(EncryptedServer server)
    {
        ProtectedPatient created = ProtectedPatient.NewUnique();
        (HttpStatusCode status, JsonObject body) = await server.SendAsync(HttpMethod.Post, "Patient", created.ToJson());
        Assert.Equal(HttpStatusCode.Created, status);
        string id = (string)body["id"]!;

        // Authorised callers see plaintext: in the create response, on read, and in search results.
        Assert.Equal(created.ResidentId, (string?)body["identifier"]![0]!["value"]);
        (_, JsonObject read) = await server.SendAsync(HttpMethod.Get, "Patient/" + id);
        Assert.Equal(created.ResidentId, (string?)read["identifier"]![0]!["value"]);
        Assert.Equal(created.Passport, (string?)read["identifier"]![1]!["value"]);
        Assert.Equal(created.Phone, (string?)read["telecom"]![0]!["value"]);

        // Exact search still finds each protected value, with or without its system.
        Assert.Equal(1, await server.CountAsync($"Patient?identifier={ProtectedPatient.ResidentSystem}|{created.ResidentId}"));
        Assert.Equal(1, await server.CountAsync($"Patient?identifier={created.ResidentId}"));
        Assert.Equal(1, await server.CountAsync($"Patient?identifier={ProtectedPatient.PassportSystem}|{created.Passport}"));
        Assert.Equal(1, await server.CountAsync($"Patient?identifier:of-type={ProtectedPatient.V2_0203}|NI|{created.ResidentId}"));
        Assert.Equal(1, await server.CountAsync($"Patient?phone={created.Phone}"));
        Assert.Equal(1, await server.CountAsync($"Patient?telecom={created.Phone}"));
        Assert.Equal(1, await server.CountAsync($"Patient?identifier=http://openhip.org/sid/mrn/org-1|MRN-{created.Family}"));
        Assert.Equal(0, await server.CountAsync($"Patient?identifier={ProtectedPatient.ResidentSystem}|{created.ResidentId[..^1]}0"));

        // Results of a search carry plaintext as well.
        (_, JsonObject bundle) = await server.SendAsync(HttpMethod.Get, $"Patient?identifier={ProtectedPatient.ResidentSystem}|{created.ResidentId}");
        Assert.Equal(created.ResidentId, (string?)bundle["entry"]![0]!["resource"]!["identifier"]![0]!["value"]);

        // Conditional create matches the protected identifier: nothing new is created.
        (HttpStatusCode again, _) = await server.SendAsync(
            HttpMethod.Post, "Patient", created.ToJson(), ifNoneExist: $"identifier={ProtectedPatient.ResidentSystem}|{created.ResidentId}");
        Assert.Equal(HttpStatusCode.OK, again);

        // A transaction entry goes through the same protection.
        ProtectedPatient inTransaction = ProtectedPatient.NewUnique();
        var transaction = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["fullUrl"] = "urn:uuid:" + Guid.NewGuid(),
                ["resource"] = inTransaction.ToJson(),
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" },
            }),
        };
        (HttpStatusCode committed, _) = await server.SendAsync(HttpMethod.Post, "", transaction);
        Assert.Equal(HttpStatusCode.OK, committed);
        Assert.Equal(1, await server.CountAsync($"Patient?identifier={ProtectedPatient.ResidentSystem}|{inTransaction.ResidentId}"));

        // An update keeps protecting, and history reads decrypt every version.
        JsonObject updated = created.ToJson();
        updated["id"] = id;
        (HttpStatusCode updateStatus, _) = await server.SendAsync(HttpMethod.Put, "Patient/" + id, updated);
        Assert.Equal(HttpStatusCode.OK, updateStatus);
        (_, JsonObject history) = await server.SendAsync(HttpMethod.Get, $"Patient/{id}/_history");
        Assert.All(history["entry"]!.AsArray(), e => Assert.Equal(created.ResidentId, (string?)e!["resource"]!["identifier"]![0]!["value"]));

        return [created, inTransaction];
    }
}
