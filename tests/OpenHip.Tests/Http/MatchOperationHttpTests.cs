using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Tests.Http;

/// <summary>Patient/$match over HTTP: the MPI module registered by the composition root, its answers and its errors.</summary>
public sealed class MatchOperationHttpTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Zhang = """{"resourceType":"Patient","name":[{"text":"张伟","family":"张","given":["伟"]}],"gender":"male","birthDate":"1987-03-12","identifier":[{"system":"http://openhip.org/sid/cn-resident-id","value":"33010619870312017X"}]}""";

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Match_JustCreatedPatientWrittenInTraditionalCharacters_IsFoundCertain()
    {
        using HttpResponseMessage created = await Client.PostAsync("Patient", ServerFixture.Json(Zhang));
        string id = (await FhirAssert.JsonAsync(created, HttpStatusCode.Created))["id"]!.GetValue<string>();
        string query = Zhang.Replace("张伟", "張偉", StringComparison.Ordinal).Replace("\"张\"", "\"張\"", StringComparison.Ordinal).Replace("\"伟\"", "\"偉\"", StringComparison.Ordinal);

        using HttpResponseMessage response = await Client.PostAsync("Patient/$match", ServerFixture.Json($$"""{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{{query}}},{"name":"count","valueInteger":5}]}"""));
        JsonNode bundle = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);

        Assert.Equal("searchset", bundle["type"]!.GetValue<string>());
        JsonNode best = bundle["entry"]![0]!;
        Assert.Equal(id, best["resource"]!["id"]!.GetValue<string>());
        Assert.Equal("match", best["search"]!["mode"]!.GetValue<string>());
        Assert.Contains(best["search"]!["extension"]!.AsArray(), e => e!["valueCode"]?.GetValue<string>() == "certain");
    }

    [Fact]
    public async Task Match_NoResource_Is400OperationOutcome()
    {
        using HttpResponseMessage response = await Client.PostAsync("Patient/$match", ServerFixture.Json("""{"resourceType":"Parameters","parameter":[{"name":"count","valueInteger":5}]}"""));

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Match_ResourceOfWrongType_Is400OperationOutcome()
    {
        using HttpResponseMessage response = await Client.PostAsync("Patient/$match", ServerFixture.Json("""{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Organization","name":"x"}}]}"""));

        await FhirAssert.OutcomeAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Metadata_ListsTheMatchOperation()
    {
        using HttpResponseMessage response = await Client.GetAsync("metadata");
        JsonNode statement = await FhirAssert.JsonAsync(response, HttpStatusCode.OK);

        Assert.Contains(statement["rest"]![0]!["operation"]!.AsArray(), o => o!["name"]!.GetValue<string>() == "match");
    }
}
