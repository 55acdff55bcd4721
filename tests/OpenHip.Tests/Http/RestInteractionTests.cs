using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

public sealed class RestInteractionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string PatientJson = """{"resourceType":"Patient","active":true,"name":[{"family":"Wang","given":["Fang"]}],"identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"ID-"}]}""";

    private HttpClient Client => server.Client;

    private async Task<JsonNode> CreatePatientAsync(string identifier)
    {
        using HttpResponseMessage response = await Client.PostAsync("Patient", ServerFixture.Json(PatientJson.Replace("ID-", identifier, StringComparison.Ordinal)));
        return await FhirAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_ValidPatient_Returns201WithLocationETagAndServerMeta()
    {
        using HttpResponseMessage response = await Client.PostAsync("Patient", ServerFixture.Json(PatientJson));
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.Created);

        string id = body["id"]!.GetValue<string>();
        Assert.Equal($"{server.BaseUrl}/Patient/{id}/_history/1", response.Headers.Location!.ToString());
        Assert.Equal("W/\"1\"", response.Headers.ETag!.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("1", body["meta"]!["versionId"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(body["meta"]!["lastUpdated"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task Create_BodyWithId_ServerAssignsItsOwnId()
    {
        using HttpResponseMessage response = await Client.PostAsync("Patient", ServerFixture.Json("""{"resourceType":"Patient","id":"client-chosen","active":true}"""));
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.NotEqual("client-chosen", body["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Read_Existing_ReturnsStoredBytesWithVersionHeaders()
    {
        JsonNode created = await CreatePatientAsync("read-1");
        string id = created["id"]!.GetValue<string>();

        using HttpResponseMessage response = await Client.GetAsync($"Patient/{id}");
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);

        Assert.Equal(created.ToJsonString(), body.ToJsonString());
        Assert.Equal("W/\"1\"", response.Headers.ETag!.ToString());
        Assert.Equal($"{server.BaseUrl}/Patient/{id}/_history/1", response.Content.Headers.ContentLocation!.ToString());
    }

    [Fact]
    public async Task Update_ThenVRead_BothVersionsReadable()
    {
        JsonNode created = await CreatePatientAsync("upd-1");
        string id = created["id"]!.GetValue<string>();
        created["active"] = false;

        using HttpResponseMessage update = await Client.PutAsync($"Patient/{id}", ServerFixture.Json(created.ToJsonString()));
        JsonNode updated = await FhirAssert.JsonAsync(update, HttpStatusCode.OK);
        Assert.Equal("2", updated["meta"]!["versionId"]!.GetValue<string>());

        using HttpResponseMessage v1 = await Client.GetAsync($"Patient/{id}/_history/1");
        Assert.True((await FhirAssert.JsonAsync(v1, HttpStatusCode.OK))["active"]!.GetValue<bool>());
        using HttpResponseMessage v2 = await Client.GetAsync($"Patient/{id}/_history/2");
        Assert.False((await FhirAssert.JsonAsync(v2, HttpStatusCode.OK))["active"]!.GetValue<bool>());
        using HttpResponseMessage v3 = await Client.GetAsync($"Patient/{id}/_history/3");
        await FhirAssert.OutcomeAsync(v3, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_UnknownClientId_CreatesWith201()
    {
        using HttpResponseMessage response = await Client.PutAsync("Patient/client-id-1", ServerFixture.Json("""{"resourceType":"Patient","id":"client-id-1"}"""));
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("client-id-1", body["id"]!.GetValue<string>());
        Assert.Equal($"{server.BaseUrl}/Patient/client-id-1/_history/1", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Delete_ThenRead_Returns410AndHistoryKeepsAllVersions()
    {
        string id = (await CreatePatientAsync("del-1"))["id"]!.GetValue<string>();

        using HttpResponseMessage delete = await Client.DeleteAsync($"Patient/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using HttpResponseMessage read = await Client.GetAsync($"Patient/{id}");
        await FhirAssert.OutcomeAsync(read, HttpStatusCode.Gone);

        using HttpResponseMessage history = await Client.GetAsync($"Patient/{id}/_history");
        JsonNode bundle = await FhirAssert.JsonAsync(history, HttpStatusCode.OK);
        Assert.Equal("history", bundle["type"]!.GetValue<string>());
        Assert.Equal(2, bundle["total"]!.GetValue<long>());
        Assert.Equal("DELETE", bundle["entry"]![0]!["request"]!["method"]!.GetValue<string>());
        Assert.Equal("POST", bundle["entry"]![1]!["request"]!["method"]!.GetValue<string>());

        // Deleting again is not an error, and writes nothing new.
        using HttpResponseMessage again = await Client.DeleteAsync($"Patient/{id}");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact]
    public async Task Update_AfterDelete_RevivesAs201()
    {
        using HttpResponseMessage put = await Client.PutAsync("Patient/revive-1", ServerFixture.Json("""{"resourceType":"Patient","id":"revive-1"}"""));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using HttpResponseMessage delete = await Client.DeleteAsync("Patient/revive-1");
        using HttpResponseMessage again = await Client.PutAsync("Patient/revive-1", ServerFixture.Json("""{"resourceType":"Patient","id":"revive-1"}"""));
        JsonNode body = await FhirAssert.JsonAsync(again, HttpStatusCode.Created);
        Assert.Equal("3", body["meta"]!["versionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_IfMatchCurrent_Succeeds_StaleFails412()
    {
        JsonNode created = await CreatePatientAsync("ifmatch-1");
        string id = created["id"]!.GetValue<string>();

        using var ok = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = ServerFixture.Json(created.ToJsonString()) };
        ok.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using HttpResponseMessage first = await Client.SendAsync(ok);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        long before = await server.VersionCountAsync();
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = ServerFixture.Json(created.ToJsonString()) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using HttpResponseMessage second = await Client.SendAsync(stale);
        await FhirAssert.OutcomeAsync(second, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task Read_IfNoneMatchCurrentVersion_Returns304()
    {
        string id = (await CreatePatientAsync("304-1"))["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"Patient/{id}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using HttpResponseMessage response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);

        using var changed = new HttpRequestMessage(HttpMethod.Get, $"Patient/{id}");
        changed.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"7\"", isWeak: true));
        using HttpResponseMessage full = await Client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public async Task Read_IfModifiedSinceAfterLastUpdate_Returns304()
    {
        string id = (await CreatePatientAsync("304-2"))["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"Patient/{id}");
        request.Headers.IfModifiedSince = DateTimeOffset.UtcNow.AddMinutes(1);
        using HttpResponseMessage response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);

        using var old = new HttpRequestMessage(HttpMethod.Get, $"Patient/{id}");
        old.Headers.IfModifiedSince = DateTimeOffset.UtcNow.AddDays(-1);
        using HttpResponseMessage full = await Client.SendAsync(old);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public async Task ConditionalCreate_ExistingMatch_Returns200AndWritesNothing()
    {
        JsonNode created = await CreatePatientAsync("cond-1");
        long before = await server.VersionCountAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(PatientJson) };
        request.Headers.Add("If-None-Exist", "identifier=http://openhip.org/sid/cn-resident-id|cond-1");
        using HttpResponseMessage response = await Client.SendAsync(request);
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);

        Assert.Equal(created["id"]!.GetValue<string>(), body["id"]!.GetValue<string>());
        Assert.Equal(before, await server.VersionCountAsync());
    }

    [Fact]
    public async Task ConditionalCreate_NoMatch_Creates()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(PatientJson.Replace("ID-", "cond-new", StringComparison.Ordinal)) };
        request.Headers.Add("If-None-Exist", "identifier=http://openhip.org/sid/cn-resident-id|cond-new");
        using HttpResponseMessage response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ConditionalCreate_50AtOnce_CreatesExactlyOneAndTheOthersFindIt()
    {
        HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(PatientJson.Replace("ID-", "cond-race", StringComparison.Ordinal)) };
            request.Headers.Add("If-None-Exist", "identifier=http://openhip.org/sid/cn-resident-id|cond-race");
            using HttpResponseMessage response = await Client.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.OK, s));
        JsonNode bundle = JsonNode.Parse(await Client.GetStringAsync("Patient?identifier=http://openhip.org/sid/cn-resident-id|cond-race&_total=accurate"))!;
        Assert.Equal(1, bundle["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task ConditionalUpdate_SingleMatch_UpdatesIt_NoMatch_Creates()
    {
        string id = (await CreatePatientAsync("cu-1"))["id"]!.GetValue<string>();
        using HttpResponseMessage update = await Client.PutAsync(
            "Patient?identifier=http://openhip.org/sid/cn-resident-id|cu-1",
            ServerFixture.Json(PatientJson.Replace("ID-", "cu-1", StringComparison.Ordinal).Replace("true", "false", StringComparison.Ordinal)));
        JsonNode updated = await FhirAssert.JsonAsync(update, HttpStatusCode.OK);
        Assert.Equal(id, updated["id"]!.GetValue<string>());
        Assert.Equal("2", updated["meta"]!["versionId"]!.GetValue<string>());

        using HttpResponseMessage create = await Client.PutAsync(
            "Patient?identifier=http://openhip.org/sid/cn-resident-id|cu-absent",
            ServerFixture.Json(PatientJson.Replace("ID-", "cu-absent", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task ConditionalDelete_SeveralMatches_DeletesAll()
    {
        string a = (await CreatePatientAsync("cd-shared"))["id"]!.GetValue<string>();
        string b = (await CreatePatientAsync("cd-shared"))["id"]!.GetValue<string>();

        using HttpResponseMessage delete = await Client.DeleteAsync("Patient?identifier=http://openhip.org/sid/cn-resident-id|cd-shared");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        using HttpResponseMessage readA = await Client.GetAsync($"Patient/{a}");
        using HttpResponseMessage readB = await Client.GetAsync($"Patient/{b}");
        Assert.Equal(HttpStatusCode.Gone, readA.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, readB.StatusCode);
    }

    [Fact]
    public async Task PreferMinimal_ReturnsNoBody_PreferOutcome_ReturnsOperationOutcome()
    {
        using var minimal = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(PatientJson) };
        minimal.Headers.Add("Prefer", "return=minimal");
        using HttpResponseMessage response = await Client.SendAsync(minimal);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(response.Headers.Location);

        using var outcome = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(PatientJson) };
        outcome.Headers.Add("Prefer", "return=OperationOutcome");
        using HttpResponseMessage second = await Client.SendAsync(outcome);
        JsonNode body = await FhirAssert.OutcomeAsync(second, HttpStatusCode.Created);
        Assert.Equal("information", body["issue"]![0]!["severity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Read_FormatXmlAndAcceptXml_ReturnFhirXml()
    {
        string id = (await CreatePatientAsync("xml-1"))["id"]!.GetValue<string>();
        using HttpResponseMessage byFormat = await Client.GetAsync($"Patient/{id}?_format=xml");
        Assert.Equal("application/fhir+xml", byFormat.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<Patient xmlns=\"http://hl7.org/fhir\">", await byFormat.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"Patient/{id}");
        request.Headers.Accept.ParseAdd("application/fhir+xml");
        using HttpResponseMessage byAccept = await Client.SendAsync(request);
        Assert.Equal("application/fhir+xml", byAccept.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Read_Pretty_IsIndented()
    {
        string id = (await CreatePatientAsync("pretty-1"))["id"]!.GetValue<string>();
        using HttpResponseMessage response = await Client.GetAsync($"Patient/{id}?_pretty=true");
        Assert.Contains("\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_XmlBody_IsStoredAndReadableAsJson()
    {
        const string xml = """<Patient xmlns="http://hl7.org/fhir"><active value="true"/><gender value="female"/></Patient>""";
        using HttpResponseMessage response = await Client.PostAsync("Patient", ServerFixture.Json(xml, "application/fhir+xml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = response.Headers.Location!.Segments[^3].TrimEnd('/');
        using HttpResponseMessage read = await Client.GetAsync($"Patient/{id}");
        Assert.Equal("female", (await FhirAssert.JsonAsync(read, HttpStatusCode.OK))["gender"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_JsonPatch_AppliesAndBumpsVersion()
    {
        string id = (await CreatePatientAsync("patch-1"))["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Patient/{id}")
        {
            Content = ServerFixture.Json("""[{"op":"replace","path":"/active","value":false},{"op":"add","path":"/gender","value":"male"}]""", "application/json-patch+json"),
        };
        using HttpResponseMessage response = await Client.SendAsync(request);
        JsonNode body = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.False(body["active"]!.GetValue<bool>());
        Assert.Equal("male", body["gender"]!.GetValue<string>());
        Assert.Equal("2", body["meta"]!["versionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_FhirPathPatch_AppliesReplace()
    {
        string id = (await CreatePatientAsync("patch-2"))["id"]!.GetValue<string>();
        const string patch = """
            {"resourceType":"Parameters","parameter":[{"name":"operation","part":[
              {"name":"type","valueCode":"replace"},{"name":"path","valueString":"Patient.active"},{"name":"value","valueBoolean":false}]}]}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"Patient/{id}") { Content = ServerFixture.Json(patch) };
        using HttpResponseMessage response = await Client.SendAsync(request);
        Assert.False((await FhirAssert.JsonAsync(response, HttpStatusCode.OK))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task History_TypeLevel_PagesWithNextLinks()
    {
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage put = await Client.PutAsync($"Observation/hist-{i}", ServerFixture.Json($$$"""{"resourceType":"Observation","id":"hist-{{{i}}}","status":"final","code":{"text":"x"}}"""));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        HashSet<string> seen = [];
        string? next = "Observation/_history?_count=2";
        int pages = 0;
        while (next is not null)
        {
            using HttpResponseMessage response = await Client.GetAsync(next);
            JsonNode bundle = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
            foreach (JsonNode? entry in bundle["entry"]!.AsArray())
            {
                Assert.True(seen.Add(entry!["fullUrl"]!.GetValue<string>()));
            }

            next = bundle["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
            pages++;
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Metadata_ListsEveryResourceTypeAndValidateOperation()
    {
        using HttpResponseMessage response = await Client.GetAsync("metadata");
        JsonNode statement = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("CapabilityStatement", statement["resourceType"]!.GetValue<string>());
        Assert.Equal("4.0.1", statement["fhirVersion"]!.GetValue<string>());
        JsonArray resources = statement["rest"]![0]!["resource"]!.AsArray();
        Assert.Contains(resources, r => r!["type"]!.GetValue<string>() == "Patient");
        Assert.True(resources.Count > 140);
        Assert.Contains(statement["rest"]![0]!["operation"]!.AsArray(), o => o!["name"]!.GetValue<string>() == "validate");
    }

    [Fact]
    public async Task Validate_InvalidObservation_ReportsIssuesWith200()
    {
        using HttpResponseMessage response = await Client.PostAsync("Observation/$validate", ServerFixture.Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"5","dataAbsentReason":{"text":"lost"}}"""));
        JsonNode outcome = await FhirAssert.OutcomeAsync(response, HttpStatusCode.OK);
        Assert.Contains(outcome["issue"]!.AsArray(), i => i!["severity"]!.GetValue<string>() == "error");
    }

    [Fact]
    public async Task Read_ElementsAndSummary_ReturnTheAskedSubset()
    {
        string id = (await CreatePatientAsync("subset-1"))["id"]!.GetValue<string>();

        using HttpResponseMessage elements = await Client.GetAsync($"Patient/{id}?_elements=active");
        JsonNode subset = await FhirAssert.JsonAsync(elements, HttpStatusCode.OK);
        Assert.True(subset["active"]!.GetValue<bool>());
        Assert.Null(subset["name"]);
        Assert.Equal(id, subset["id"]!.GetValue<string>());

        using HttpResponseMessage full = await Client.GetAsync("metadata");
        using HttpResponseMessage summary = await Client.GetAsync("metadata?_summary=true");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.True((await summary.Content.ReadAsByteArrayAsync()).Length < (await full.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("4.0.1", (await FhirAssert.JsonAsync(summary, HttpStatusCode.OK))["fhirVersion"]!.GetValue<string>());

        using HttpResponseMessage bad = await Client.GetAsync($"Patient/{id}?_summary=maybe");
        await FhirAssert.OutcomeAsync(bad, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Health_Endpoints_Answer()
    {
        using var root = new HttpClient { BaseAddress = new Uri(server.BaseUrl.Replace("/fhir", "/", StringComparison.Ordinal)) };
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync("readyz")).StatusCode);
    }
}
