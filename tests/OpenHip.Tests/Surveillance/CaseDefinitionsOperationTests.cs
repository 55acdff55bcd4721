using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// Case definitions installed at run time through <c>$surveillance-case-definitions</c>: malformed ones answer 400 and
/// change nothing; installed ones detect from then on; a direct PUT of the Library is checked the same way (422);
/// deleting the Library returns to the deployment's definitions.
/// </summary>
public sealed class CaseDefinitionsOperationTests(SurveillanceServerFixture server) : IClassFixture<SurveillanceServerFixture>
{
    private const string ScarletFever = """
        { "definitions": [ { "id": "scarlet-fever", "name": "Scarlet fever", "source": "Class B notifiable disease; ICD-10 A38",
          "episodeDays": 30, "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10", "codes": [ "A38" ] } ] } ] }
        """;

    private HttpClient Client => server.Client;

    [Theory]
    [InlineData("{ \"definitions\": [ { \"id\": \"x\" } ] }", "name")]
    [InlineData("{ \"definitions\": [ { \"id\": \"Bad Id\", \"name\": \"n\", \"source\": \"s\", \"conditions\": [] } ] }", "id")]
    [InlineData("{ \"definitions\": [ { \"id\": \"y\", \"name\": \"n\", \"source\": \"s\", \"colour\": \"red\", \"conditions\": [ { \"codes\": [ \"A00\" ] } ] } ] }", "colour")]
    [InlineData("not json", "definitions")]
    public async Task Install_MalformedDefinitions_Is400AndChangesNothing(string json, string named)
    {
        using HttpResponseMessage response = await Client.PostAsync("$surveillance-case-definitions", ServerFixture.Json(Parameters(json)));

        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", (string?)JsonNode.Parse(body)!["resourceType"]);
        Assert.Contains(named, body, StringComparison.Ordinal);
        using HttpResponseMessage library = await Client.GetAsync("Library/surveillance-case-definitions");
        Assert.NotEqual(HttpStatusCode.OK, library.StatusCode);
    }

    [Fact]
    public async Task Install_ThenDetect_ThenPutMalformed_ThenDelete()
    {
        using (HttpResponseMessage unknown = await Client.GetAsync("$surveillance-series?disease=scarlet-fever&start=2026-01-01&end=2026-01-31"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        using (HttpResponseMessage installed = await Client.PostAsync("$surveillance-case-definitions", ServerFixture.Json(Parameters(ScarletFever))))
        {
            JsonNode result = await FhirAssert.JsonAsync(installed, HttpStatusCode.OK);
            Assert.Equal("Library/surveillance-case-definitions/_history/1", (string?)result["parameter"]![0]!["valueReference"]!["reference"]);
        }

        await PutPatientAsync(Client, "sf-1", "female", "2019-05-01", "370102");
        await PostConditionAsync(Client, "sf-1", "A38", "2026-03-02");
        await WaitForTotalAsync(Client, "disease=scarlet-fever&area=370102&start=2026-03-01&end=2026-03-31", 1);

        // A PUT of the Library is held to the same rules: 422, the definitions in force stay.
        string malformed = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{ \"definitions\": [ { \"id\": \"z\" } ] }"));
        string library = $$$"""
            {"resourceType":"Library","id":"surveillance-case-definitions","status":"active",
             "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/library-type","code":"asset-collection"}]},
             "content":[{"contentType":"application/json","data":"{{{malformed}}}"}]}
            """;
        using (HttpResponseMessage put = await Client.PutAsync("Library/surveillance-case-definitions", ServerFixture.Json(library)))
        {
            Assert.Equal((HttpStatusCode)422, put.StatusCode);
        }

        Assert.Equal(1, Total(await SeriesAsync(Client, "disease=scarlet-fever&area=370102&start=2026-03-01&end=2026-03-31")));

        using (HttpResponseMessage deleted = await Client.DeleteAsync("Library/surveillance-case-definitions"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using HttpResponseMessage back = await Client.GetAsync("$surveillance-series?disease=scarlet-fever&start=2026-01-01&end=2026-01-31");
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("$surveillance-series?disease=dengue&start=2026-01-01&end=2026-01-31")).StatusCode);
    }

    private static string Parameters(string json) =>
        new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(new JsonObject { ["name"] = "definitions", ["valueString"] = json }),
        }.ToJsonString();
}
