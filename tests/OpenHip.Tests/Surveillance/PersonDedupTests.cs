using System.Text.Json.Nodes;
using OpenHip.Tests.Http;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>With the MPI linking, two institutions' records of one resident are one case per episode.</summary>
public sealed class PersonDedupTests(PersonDedupTests.LinkingServer server) : IClassFixture<PersonDedupTests.LinkingServer>
{
    [Fact]
    public async Task TwoPatientsOfOnePerson_SameEpisode_CountOnce()
    {
        await PutResidentAsync("hosp-a-1", "110101199001011237");
        await PutResidentAsync("hosp-b-1", "110101199001011237");
        await WaitLinkedAsync("hosp-a-1", "hosp-b-1");

        await PostConditionAsync(server.Client, "hosp-a-1", "B08.4", "2026-04-20");
        await PostConditionAsync(server.Client, "hosp-b-1", "B08.4", "2026-04-25");
        const string Query = "disease=hfmd&area=110101&start=2026-04-01&end=2026-05-31";
        await WaitForTotalAsync(server.Client, Query, 1);

        // A later sentinel proves both Conditions were handled (the outbox is handled in order).
        await PutPatientAsync(server.Client, "pd-sentinel", "male", "1980-01-01", "659002");
        await PostConditionAsync(server.Client, "pd-sentinel", "A20", "2026-04-26");
        await WaitForTotalAsync(server.Client, "disease=plague&area=659002&start=2026-04-01&end=2026-05-31", 1);
        Assert.Equal(1, Total(await SeriesAsync(server.Client, Query)));
    }

    private async Task PutResidentAsync(string id, string residentId)
    {
        string json = $$"""
            {"resourceType":"Patient","id":"{{id}}","gender":"female","birthDate":"1990-01-01",
             "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"NI"}]},"system":"http://openhip.org/sid/cn-resident-id","value":"{{residentId}}"}],
             "name":[{"text":"王秀英","family":"王","given":["秀英"]}],"telecom":[{"system":"phone","value":"13800138000"}],
             "address":[{"use":"home","extension":[{"url":"http://openhip.org/fhir/StructureDefinition/division-code","valueCode":"110101"}]}]}
            """;
        using HttpResponseMessage response = await server.Client.PutAsync($"Patient/{id}", ServerFixture.Json(json));
        response.EnsureSuccessStatusCode();
    }

    private async Task WaitLinkedAsync(string first, string second)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            using HttpResponseMessage response = await server.Client.GetAsync($"Person?link=Patient/{first}");
            string body = await response.Content.ReadAsStringAsync();
            if (body.Contains($"Patient/{second}", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the MPI did not link the two records: {JsonNode.Parse(body)}");
            await Task.Delay(50);
        }
    }

    public sealed class LinkingServer : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Modules:Surveillance:DetectCases"] = "true",
            ["Modules:Mpi:LinkOnWrite"] = "true",
            ["Fhir:OutboxPollInterval"] = "00:00:00.050",
        };
    }
}
