using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// Issue #10 item 4: rules on the syndromic and lab-positive counts, and their multi-point combination. Eight ILI
/// visits on one quiet day are an aberration of the syndromic count (IV); three positive influenza tests two days later
/// are a lab-positive cluster (III) — judged on the lab count, not the eight cases — and the two together a level-II alert.
/// </summary>
public sealed class StreamAlertTests : IAsyncLifetime
{
    private const string County = "350102";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
    private DataDirectoryServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await DataDirectoryServer.StartAsync(_directory, new Dictionary<string, string?>
        {
            ["Modules:Surveillance:DetectCases"] = "true",
            ["Fhir:OutboxPollInterval"] = "00:00:00.050",
            ["Modules:Surveillance:AlertRules:0:Id"] = "ili-syndromic",
            ["Modules:Surveillance:AlertRules:0:Kind"] = "aberration",
            ["Modules:Surveillance:AlertRules:0:Stream"] = "syndromic",
            ["Modules:Surveillance:AlertRules:0:Diseases:0"] = "ili",
            ["Modules:Surveillance:AlertRules:0:Algorithm"] = "earsC3",
            ["Modules:Surveillance:AlertRules:0:Parameters:0"] = "mode=cdc",
            ["Modules:Surveillance:AlertRules:0:Parameters:1"] = "minSigma=1",
            ["Modules:Surveillance:AlertRules:0:Level"] = "4",
            ["Modules:Surveillance:AlertRules:1:Id"] = "ili-lab",
            ["Modules:Surveillance:AlertRules:1:Kind"] = "cluster",
            ["Modules:Surveillance:AlertRules:1:Stream"] = "laboratory",
            ["Modules:Surveillance:AlertRules:1:Diseases:0"] = "ili",
            ["Modules:Surveillance:AlertRules:1:Cases"] = "3",
            ["Modules:Surveillance:AlertRules:1:Days"] = "7",
            ["Modules:Surveillance:AlertRules:1:Level"] = "3",
            ["Modules:Surveillance:AlertRules:2:Id"] = "ili-both",
            ["Modules:Surveillance:AlertRules:2:Kind"] = "combined",
            ["Modules:Surveillance:AlertRules:2:Rules:0"] = "ili-syndromic",
            ["Modules:Surveillance:AlertRules:2:Rules:1"] = "ili-lab",
            ["Modules:Surveillance:AlertRules:2:Days"] = "7",
            ["Modules:Surveillance:AlertRules:2:Level"] = "2",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [Fact]
    public async Task SyndromicAberrationAndLabCluster_RaiseTheirAlertsAndTheCombinedOne()
    {
        for (int i = 0; i < 8; i++)
        {
            await PutPatientAsync(Client, $"ili-{i}", "female", "1985-01-01", County);
        }

        await TransactionAsync(Enumerable.Range(0, 8).Select(i => Resource(
            $$$"""{"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/ili-{{{i}}}"},"period":{"start":"2026-12-01"},"reasonCode":[{"text":"流感样病例"}]}""",
            "Encounter")));
        Assert.Equal(["IV"], await WaitForLevelsAsync(1));

        await TransactionAsync(Enumerable.Range(0, 3).Select(i => Resource(
            $$$"""{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/ili-{{{i}}}"},"code":{"coding":[{"system":"http://loinc.org","code":"92142-9"}]},"effectiveDateTime":"2026-12-03","interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"POS"}]}]}""",
            "Observation")));
        Assert.Equal(["II", "III", "IV"], await WaitForLevelsAsync(3));

        JsonObject cluster = (await AlertsAsync()).Single(t => Input(t, "rule") == "ili-lab");
        JsonNode signal = JsonNode.Parse(await Client.GetStringAsync((string)cluster["focus"]!["reference"]!))!;
        Assert.Equal("2026-12-03", (string?)signal["identifiedDateTime"]);
        Assert.Equal(3, signal["implicated"]!.AsArray().Count);
        Assert.Contains("laboratory count", (string?)signal["detail"], StringComparison.Ordinal);
    }

    private static JsonObject Resource(string json, string type) => new()
    {
        ["resource"] = JsonNode.Parse(json),
        ["request"] = new JsonObject { ["method"] = "POST", ["url"] = type },
    };

    private async Task TransactionAsync(IEnumerable<JsonObject> entries)
    {
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray([.. entries]) };
        using HttpResponseMessage posted = await Client.PostAsync(string.Empty, ServerFixture.Json(bundle.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private async Task<string[]> WaitForLevelsAsync(int count)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (true)
        {
            string[] levels = [.. (await AlertsAsync()).Select(t => Input(t, "level")!).Order(StringComparer.Ordinal)];
            if (levels.Length >= count)
            {
                return levels;
            }

            Assert.True(DateTime.UtcNow < until, $"alerts raised: {string.Join(", ", levels)}");
            await Task.Delay(50);
        }
    }

    private async Task<JsonObject[]> AlertsAsync()
    {
        string body = await Client.GetStringAsync("Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert&_count=100");
        return [.. (JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject())];
    }

    private static string? Input(JsonObject task, string name)
    {
        JsonNode? input = task["input"]?.AsArray().FirstOrDefault(i => (string?)i!["type"]?["coding"]?[0]?["code"] == name);
        return (string?)input?["valueCodeableConcept"]?["coding"]?[0]?["code"] ?? (string?)input?["valueCode"] ?? (string?)input?["valueString"];
    }
}
