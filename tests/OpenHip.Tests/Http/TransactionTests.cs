using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

public sealed class TransactionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<JsonNode> PostBundleAsync(string bundle, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(bundle));
        return await FhirAssert.JsonAsync(response, expected);
    }

    private async Task<JsonNode> ReadAsync(string location)
    {
        string relative = location.Contains("/_history/", StringComparison.Ordinal) ? location[..location.IndexOf("/_history/", StringComparison.Ordinal)] : location;
        using HttpResponseMessage response = await server.Client.GetAsync(relative);
        return await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Transaction_UrnUuidReferences_RewrittenEverywhere()
    {
        const string bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","status":"final","code":{"text":"bp"},
                 "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001\">patient</a></div>"},
                 "subject":{"reference":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001"},
                 "extension":[{"url":"http://example.org/link","valueReference":{"reference":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001"}},
                              {"url":"http://example.org/uri","valueUri":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001"}],
                 "contained":[{"resourceType":"Provenance","id":"p","recorded":"2026-01-01T00:00:00Z","agent":[{"who":{"display":"x"}}],"target":[{"reference":"urn:uuid:8f4c1d2e-0000-4000-8000-000000000001"}]}]},
               "request":{"method":"POST","url":"Observation"}}]}
            """;
        JsonNode response = await PostBundleAsync(bundle);
        Assert.Equal("transaction-response", response["type"]!.GetValue<string>());
        string patientLocation = response["entry"]![0]!["response"]!["location"]!.GetValue<string>();
        Assert.Equal("201 Created", response["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        string patientRef = patientLocation[..patientLocation.IndexOf("/_history", StringComparison.Ordinal)];

        JsonNode observation = await ReadAsync(response["entry"]![1]!["response"]!["location"]!.GetValue<string>());
        Assert.Equal(patientRef, observation["subject"]!["reference"]!.GetValue<string>());
        Assert.Equal(patientRef, observation["extension"]![0]!["valueReference"]!["reference"]!.GetValue<string>());
        Assert.Equal(patientRef, observation["extension"]![1]!["valueUri"]!.GetValue<string>());
        Assert.Equal(patientRef, observation["contained"]![0]!["target"]![0]!["reference"]!.GetValue<string>());
        Assert.Contains($"href=\"{patientRef}\"", observation["text"]!["div"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transaction_OneEntryFails_NothingIsWritten()
    {
        long before = await server.VersionCountAsync();
        const string bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"resource":{"resourceType":"Patient","id":"tx-fail"},"request":{"method":"PUT","url":"Patient/tx-fail","ifMatch":"W/\"3\""}}]}
            """;
        using HttpResponseMessage response = await server.Client.PostAsync(string.Empty, ServerFixture.Json(bundle));
        await FhirAssert.OutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Transaction_ConditionalReferenceAndIfNoneExist_Resolved()
    {
        using HttpResponseMessage seed = await server.Client.PutAsync("Practitioner/dr-li", ServerFixture.Json(
            """{"resourceType":"Practitioner","id":"dr-li","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"999"}]}"""));
        const string bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:8f4c1d2e-0000-4000-8000-0000000000a1","resource":{"resourceType":"Organization","name":"Clinic","identifier":[{"system":"http://x/org","value":"clinic-1"}]},
               "request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=http://x/org|clinic-1"}},
              {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                 "participant":[{"individual":{"reference":"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|999"}}],
                 "serviceProvider":{"reference":"urn:uuid:8f4c1d2e-0000-4000-8000-0000000000a1"}},
               "request":{"method":"POST","url":"Encounter"}}]}
            """;
        JsonNode first = await PostBundleAsync(bundle);
        JsonNode second = await PostBundleAsync(bundle);

        Assert.Equal("201 Created", first["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("200 OK", second["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        string orgLocation = first["entry"]![0]!["response"]!["location"]!.GetValue<string>();
        Assert.Equal(orgLocation, second["entry"]![0]!["response"]!["location"]!.GetValue<string>());

        JsonNode encounter = await ReadAsync(second["entry"]![1]!["response"]!["location"]!.GetValue<string>());
        Assert.Equal("Practitioner/dr-li", encounter["participant"]![0]!["individual"]!["reference"]!.GetValue<string>());
        Assert.Equal(orgLocation[..orgLocation.IndexOf("/_history", StringComparison.Ordinal)], encounter["serviceProvider"]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transaction_GetEntry_SeesTheWritesOfTheSameTransaction()
    {
        const string bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"request":{"method":"GET","url":"Patient/tx-get"}},
              {"resource":{"resourceType":"Patient","id":"tx-get","gender":"other"},"request":{"method":"PUT","url":"Patient/tx-get"}}]}
            """;
        JsonNode response = await PostBundleAsync(bundle);
        Assert.Equal("200 OK", response["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("other", response["entry"]![0]!["resource"]!["gender"]!.GetValue<string>());
        Assert.Equal("201 Created", response["entry"]![1]!["response"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transaction_DeleteAndRecreateSameType_ProcessedInSpecOrder()
    {
        using HttpResponseMessage seed = await server.Client.PutAsync("Patient/tx-del", ServerFixture.Json("""{"resourceType":"Patient","id":"tx-del"}"""));
        const string bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"request":{"method":"DELETE","url":"Patient/tx-del"}}]}
            """;
        JsonNode response = await PostBundleAsync(bundle);
        Assert.Equal("201 Created", response["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("204 No Content", response["entry"]![1]!["response"]!["status"]!.GetValue<string>());
        using HttpResponseMessage gone = await server.Client.GetAsync("Patient/tx-del");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Fact]
    public async Task Batch_EntriesAreIndependent_EachWithItsOwnStatus()
    {
        long before = await server.VersionCountAsync();
        const string bundle = """
            {"resourceType":"Bundle","type":"batch","entry":[
              {"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient"}},
              {"resource":{"resourceType":"Patient","id":"batch-x"},"request":{"method":"PUT","url":"Patient/batch-y"}},
              {"request":{"method":"GET","url":"Patient/batch-missing"}},
              {"resource":{"resourceType":"Patient","id":"batch-z"},"request":{"method":"PUT","url":"Patient/batch-z"}}]}
            """;
        JsonNode response = await PostBundleAsync(bundle);
        Assert.Equal("batch-response", response["type"]!.GetValue<string>());
        Assert.Equal("201 Created", response["entry"]![0]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("400 Bad Request", response["entry"]![1]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("OperationOutcome", response["entry"]![1]!["response"]!["outcome"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("404 Not Found", response["entry"]![2]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal("201 Created", response["entry"]![3]!["response"]!["status"]!.GetValue<string>());
        Assert.Equal(before + 2, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Batch_SameConditionalCreateTwice_CreatesOnce()
    {
        long before = await server.VersionCountAsync();
        var builder = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < 40; i++)
        {
            // 20 distinct organisations, each sent twice: concurrency inside the batch must not create duplicates.
            builder.Append(i == 0 ? string.Empty : ",").Append($$$"""{"resource":{"resourceType":"Organization","identifier":[{"system":"http://dup","value":"{{{i % 20}}}"}]},"request":{"method":"POST","url":"Organization","ifNoneExist":"identifier=http://dup|{{{i % 20}}}"}}""");
        }

        builder.Append("]}");
        JsonNode response = await PostBundleAsync(builder.ToString());
        JsonArray entries = response["entry"]!.AsArray();
        Assert.Equal(20, entries.Count(e => e!["response"]!["status"]!.GetValue<string>() == "201 Created"));
        Assert.Equal(20, entries.Count(e => e!["response"]!["status"]!.GetValue<string>() == "200 OK"));
        Assert.Equal(before + 20, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Transaction_ThousandEntries_AllCommitted()
    {
        long before = await server.VersionCountAsync();
        var builder = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < 500; i++)
        {
            string patient = $"urn:uuid:00000000-0000-4000-8000-{i:D12}";
            builder.Append(i == 0 ? string.Empty : ",")
                .Append($$$"""{"fullUrl":"{{{patient}}}","resource":{"resourceType":"Patient","identifier":[{"system":"http://bulk","value":"{{{i}}}"}]},"request":{"method":"POST","url":"Patient"}},""")
                .Append($$$"""{"resource":{"resourceType":"Observation","status":"final","code":{"text":"n"},"subject":{"reference":"{{{patient}}}"}},"request":{"method":"POST","url":"Observation"}}""");
        }

        builder.Append("]}");
        JsonNode response = await PostBundleAsync(builder.ToString());
        Assert.Equal(1000, response["entry"]!.AsArray().Count);
        Assert.All(response["entry"]!.AsArray(), e => Assert.Equal("201 Created", e!["response"]!["status"]!.GetValue<string>()));
        Assert.Equal(before + 1000, await server.VersionCountAsync());
    }
}
