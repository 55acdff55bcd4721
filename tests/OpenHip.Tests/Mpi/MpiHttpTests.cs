using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Hosting;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Mpi;

/// <summary>
/// The MPI through a real SQLite-backed server: creates and updates over HTTP are linked to a golden Person by the
/// outbox consumer, the golden identity is searchable, and PIXm / PDQm / the review list answer with their parameters
/// and errors.
/// </summary>
public sealed class MpiHttpTests(MpiServerFixture server) : IClassFixture<MpiServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private HttpClient Client => server.Client;

    [Fact]
    public async Task CreateAndUpdate_OverHttp_AreLinkedToOneGoldenPersonFoundByGoldenIdentity()
    {
        string a = await CreateAsync(Patient("张", "伟", "1987-03-12", "33010619870312017X", "mrn-a1", "13812345678"));
        string b = await CreateAsync(Patient("張", "偉", "1987-03-12", "33010619870312017X", "mrn-b7", null));

        JsonNode person = await WaitForPersonAsync(a, links: 2);
        string personId = person["id"]!.GetValue<string>();
        Assert.Contains(person["link"]!.AsArray(), l => l!["target"]!["reference"]!.GetValue<string>() == $"Patient/{b}");

        // Search by golden identity: the R4 equivalent of Patient?link=..., both ways round.
        JsonNode members = JsonNode.Parse(await Client.GetStringAsync($"Patient?_has:Person:link:_id={personId}&_total=accurate"))!;
        Assert.Equal(2, members["total"]!.GetValue<int>());
        JsonNode golden = JsonNode.Parse(await Client.GetStringAsync($"Person?link=Patient/{b}"))!;
        Assert.Equal(personId, golden["entry"]![0]!["resource"]!["id"]!.GetValue<string>());

        // An update is linked too: the new phone reaches the golden record (telecom survives most recent).
        string updated = Patient("張", "偉", "1987-03-12", "33010619870312017X", "mrn-b7", "13900000000").Replace("{\"resourceType\":\"Patient\",", $"{{\"resourceType\":\"Patient\",\"id\":\"{b}\",", StringComparison.Ordinal);
        using HttpResponseMessage put = await Client.PutAsync($"Patient/{b}", ServerFixture.Json(updated));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await WaitForAsync(async () => (await Client.GetStringAsync($"Person/{personId}")).Contains("13900000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThreeRecordsOfOneResidentInOneTransaction_AreLinkedInOneWrite()
    {
        // One transaction is one outbox batch: the linker plans the three together, so the Person is written once with
        // all three members (Patient by Patient it would be founded, then updated twice).
        string[] records =
        [
            Patient("陈", "静", "1992-11-02", "330106199211020046", "mrn-c1", null),
            Patient("陳", "靜", "1992-11-02", "330106199211020046", "mrn-c2", "13600000001"),
            Patient("陈", "静", "1992-11-02", "330106199211020046", "mrn-c3", null),
        ];
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray([.. records.Select(r => (JsonNode)new JsonObject
            {
                ["resource"] = JsonNode.Parse(r),
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" },
            })]),
        };
        JsonNode response = await FhirAssert.JsonAsync(await Client.PostAsync(string.Empty, ServerFixture.Json(bundle.ToJsonString())), HttpStatusCode.OK);
        string first = response["entry"]![0]!["response"]!["location"]!.GetValue<string>().Split('/')[1];

        JsonNode person = await WaitForPersonAsync(first, links: 3);
        Assert.Equal("1", person["meta"]!["versionId"]!.GetValue<string>());
        Assert.Contains("13600000001", person.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("330106198703120170", "male", "check character does not match")]
    [InlineData("33010619870312017X", "female", "sex it encodes differs")]
    [InlineData("33010619870312017X", "male", null)]
    public async Task Create_FlaggedResidentId_IsStoredWithAWarningAtItsPath(string residentId, string gender, string? warned)
    {
        string json = Patient("周", "敏", "1987-03-12", residentId, "mrn-z-" + gender + residentId[^1], null).Replace("\"gender\":\"male\"", $"\"gender\":\"{gender}\"", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = ServerFixture.Json(json) };
        request.Headers.Add("Prefer", "return=OperationOutcome");

        using HttpResponseMessage response = await Client.SendAsync(request);

        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonNode[] warnings = [.. JsonNode.Parse(body)!["issue"]!.AsArray().Where(i => i!["severity"]!.GetValue<string>() == "warning").Select(i => i!)];
        if (warned is null)
        {
            Assert.Empty(warnings);
            return;
        }

        JsonNode warning = Assert.Single(warnings);
        Assert.Equal("Patient.identifier[0]", warning["expression"]![0]!.GetValue<string>());
        Assert.Contains(warned, warning["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(residentId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pixm_OverHttp_AnswersIdentifiersAndFailsAsIti83Says()
    {
        string a = await CreateAsync(Patient("王", "芳", "1975-01-20", "110105197501200028", "mrn-w1", null));

        JsonNode answer = await FhirAssert.JsonAsync(await Client.GetAsync($"Patient/$ihe-pix?sourceIdentifier={Uri.EscapeDataString("http://openhip.org/sid/mrn/org-1|mrn-w1")}"), HttpStatusCode.OK);
        Assert.Equal("Parameters", answer["resourceType"]!.GetValue<string>());
        Assert.Contains(answer["parameter"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "targetIdentifier" && p["valueIdentifier"]!["value"]!.GetValue<string>() == "110105197501200028");
        Assert.Contains(answer["parameter"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "targetId" && p["valueReference"]!["reference"]!.GetValue<string>().EndsWith($"Patient/{a}", StringComparison.Ordinal));

        await FhirAssert.OutcomeAsync(await Client.GetAsync("Patient/$ihe-pix"), HttpStatusCode.BadRequest);
        await FhirAssert.OutcomeAsync(await Client.GetAsync("Patient/$ihe-pix?sourceIdentifier=mrn-w1"), HttpStatusCode.BadRequest);
        await FhirAssert.OutcomeAsync(await Client.GetAsync($"Patient/$ihe-pix?sourceIdentifier={Uri.EscapeDataString("http://openhip.org/sid/mrn/org-1|nobody")}"), HttpStatusCode.NotFound);
        await FhirAssert.OutcomeAsync(
            await Client.GetAsync($"Patient/$ihe-pix?sourceIdentifier={Uri.EscapeDataString("http://openhip.org/sid/mrn/org-1|mrn-w1")}&targetSystem={Uri.EscapeDataString("http://unknown.example/sid")}"),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Pdqm_PatientSearchWithItsParameters_FindsThePatientAndRefusesBadValues()
    {
        string id = await CreateAsync(Patient("刘", "洋", "1969-09-09", "330106196909090035", "mrn-l1", "13700000009"));
        string[] queries =
        [
            "family=刘&given=洋&birthdate=1969-09-09&gender=male",
            $"identifier={Uri.EscapeDataString("http://openhip.org/sid/cn-resident-id|330106196909090035")}",
            "telecom=13700000009",
            "address-city=杭州市&family=刘",
            "address-postalcode=310000&given=洋",
            $"_id={id}&active=true",
            "name=刘洋",
        ];
        foreach (string query in queries)
        {
            JsonNode bundle = JsonNode.Parse(await Client.GetStringAsync($"Patient?{query}"))!;
            Assert.Contains(bundle["entry"]!.AsArray(), e => e!["resource"]!["id"]!.GetValue<string>() == id);
        }

        await FhirAssert.OutcomeAsync(await Client.GetAsync("Patient?birthdate=not-a-date"), HttpStatusCode.BadRequest);
        using var strict = new HttpRequestMessage(HttpMethod.Get, "Patient?mothersMaidenName=Li");
        strict.Headers.Add("Prefer", "handling=strict");
        await FhirAssert.OutcomeAsync(await Client.SendAsync(strict), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ReviewList_OverHttp_IsASearchsetOfTasks()
    {
        JsonNode bundle = await FhirAssert.JsonAsync(await Client.GetAsync("Person/$mpi-review"), HttpStatusCode.OK);

        Assert.Equal("searchset", bundle["type"]!.GetValue<string>());
        await FhirAssert.OutcomeAsync(await Client.PostAsync("Task/nothing/$mpi-accept", ServerFixture.Json("""{"resourceType":"Parameters","parameter":[{"name":"note","valueString":"same person"}]}""")), HttpStatusCode.NotFound);
    }

    private async Task<string> CreateAsync(string json)
    {
        using HttpResponseMessage created = await Client.PostAsync("Patient", ServerFixture.Json(json));
        return (await FhirAssert.JsonAsync(created, HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> WaitForPersonAsync(string patientId, int links)
    {
        JsonNode? person = null;
        await WaitForAsync(async () =>
        {
            JsonNode bundle = JsonNode.Parse(await Client.GetStringAsync($"Person?link=Patient/{patientId}"))!;
            person = bundle["entry"]?.AsArray().FirstOrDefault()?["resource"];
            return person?["link"]?.AsArray().Count == links;
        });
        return person!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> done)
    {
        for (DateTime deadline = DateTime.UtcNow + Deadline; !await done(); await Task.Delay(50))
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox consumer did not link in time");
        }
    }

    internal static string Patient(string family, string given, string birthDate, string residentId, string mrn, string? phone) => $$"""
        {"resourceType":"Patient","active":true,
         "identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"{{residentId}}"},{"system":"http://openhip.org/sid/mrn/org-1","value":"{{mrn}}"}],
         "name":[{"text":"{{family}}{{given}}","family":"{{family}}","given":["{{given}}"]}],
         "gender":"male","birthDate":"{{birthDate}}",
         {{(phone is null ? "" : $$"""
         "telecom":[{"system":"phone","value":"{{phone}}"}],
         """)}}
         "address":[{"city":"杭州市","district":"西湖区","postalCode":"310000","extension":[{"url":"http://openhip.org/fhir/StructureDefinition/division-code","valueCode":"330106"}]}]}
        """;
}
