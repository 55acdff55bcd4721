using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Http;

namespace OpenHip.Modules.Security.Tests.Labels;

public class LabelHttpTests(SecurityServerFixture server) : SecurityHttpTests(server)
{
    [Fact]
    public async Task Create_MentalHealthCondition_StoredWithPsyLabelAndGradeFive()
    {
        string patient = await CreatePatientAsync();

        JsonObject created = await CreateAsync($$$"""{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"F20.0"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""", Callers.Setup);

        string[] labels = [.. created["meta"]!["security"]!.AsArray().Select(c => c!["system"] + "|" + c["code"])];
        Assert.Equal(["http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY", "http://openhip.org/fhir/CodeSystem/data-grade|5"], labels);
    }

    [Fact]
    public async Task Search_BySecurityLabel_FindsTheLabelledResource()
    {
        string patient = await CreatePatientAsync();
        await CreateAsync($$$"""{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"B20"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""", Callers.Setup);

        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Get, $"Condition?subject=Patient/{patient}&_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV", Callers.Setup);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["entry"]!.AsArray());
    }
}
