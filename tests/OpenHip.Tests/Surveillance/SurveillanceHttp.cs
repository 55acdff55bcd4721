using System.Globalization;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Surveillance;

/// <summary>Writes the records surveillance reads and asks for series, through the FHIR API.</summary>
internal static class SurveillanceHttp
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task PutPatientAsync(HttpClient client, string id, string gender, string birthDate, string divisionCode)
    {
        string json = $$"""
            {"resourceType":"Patient","id":"{{id}}","gender":"{{gender}}","birthDate":"{{birthDate}}",
             "address":[{"use":"home","extension":[{"url":"http://openhip.org/fhir/StructureDefinition/division-code","valueCode":"{{divisionCode}}"}]}]}
            """;
        using HttpResponseMessage response = await client.PutAsync($"Patient/{id}", ServerFixture.Json(json));
        response.EnsureSuccessStatusCode();
    }

    public static async Task<string> PostConditionAsync(HttpClient client, string patientId, string icd10, string onset, string verification = "confirmed")
    {
        string json = $$"""
            {"resourceType":"Condition","subject":{"reference":"Patient/{{patientId}}"},
             "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"{{verification}}"}]},
             "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"{{icd10}}"}]},"onsetDateTime":"{{onset}}"}
            """;
        using HttpResponseMessage response = await client.PostAsync("Condition", ServerFixture.Json(json));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    public static async Task PostLabAsync(HttpClient client, string patientId, string loinc, string effective, bool positive)
    {
        string value = positive ? "10828004" : "260385009";
        string json = $$"""
            {"resourceType":"Observation","status":"final","subject":{"reference":"Patient/{{patientId}}"},
             "code":{"coding":[{"system":"http://loinc.org","code":"{{loinc}}"}]},"effectiveDateTime":"{{effective}}",
             "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"{{value}}"}]} }
            """;
        using HttpResponseMessage response = await client.PostAsync("Observation", ServerFixture.Json(json));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A visit whose chief complaint (reason text) names a syndrome.</summary>
    public static async Task PostEncounterAsync(HttpClient client, string patientId, string complaint, string start)
    {
        string json = $$"""
            {"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
             "subject":{"reference":"Patient/{{patientId}}"},"period":{"start":"{{start}}"},"reasonCode":[{"text":"{{complaint}}"}]}
            """;
        using HttpResponseMessage response = await client.PostAsync("Encounter", ServerFixture.Json(json));
        response.EnsureSuccessStatusCode();
    }

    public static async Task PostBundleAsync(HttpClient client, Hl7.Fhir.Model.Bundle bundle)
    {
        using HttpResponseMessage response = await client.PostAsync(string.Empty, ServerFixture.Json(OpenHip.Fhir.Resources.FhirCodec.ToJsonString(bundle)));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The outbox is handled in order: once a plague case written last is counted, everything before it is.</summary>
    public static async Task SettleAsync(HttpClient client)
    {
        await PutPatientAsync(client, "sentinel", "male", "1980-01-01", "659001");
        await PostConditionAsync(client, "sentinel", "A20", "2026-06-01");
        await WaitForTotalAsync(client, "disease=plague&area=659001&start=2026-01-01&end=2026-12-31", 1);
    }

    public static async Task<JsonNode> SeriesAsync(HttpClient client, string query)
    {
        using HttpResponseMessage response = await client.GetAsync("$surveillance-series?" + query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    public static int Total(JsonNode parameters) => Value(parameters, "total")!.GetValue<int>();

    public static JsonNode? Value(JsonNode parameters, string name) =>
        parameters["parameter"]!.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name)?["valueInteger"];

    /// <summary>observed per point label.</summary>
    public static Dictionary<string, int> Points(JsonNode parameters) => parameters["parameter"]!.AsArray()
        .Where(p => p!["name"]!.GetValue<string>() == "point")
        .ToDictionary(p => Part(p!, "label")!["valueString"]!.GetValue<string>(), p => Part(p!, "observed")!["valueInteger"]!.GetValue<int>());

    public static JsonNode? Part(JsonNode point, string name) => point["part"]!.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name);

    /// <summary>Polls the series until its total is <paramref name="expected"/>; the consumer runs asynchronously.</summary>
    public static async Task<JsonNode> WaitForTotalAsync(HttpClient client, string query, int expected)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            JsonNode series = await SeriesAsync(client, query);
            int total = Total(series);
            if (total == expected)
            {
                return series;
            }

            Assert.True(DateTime.UtcNow < deadline, string.Create(CultureInfo.InvariantCulture, $"expected {expected} cases for {query}, have {total}"));
            await Task.Delay(50);
        }
    }
}
