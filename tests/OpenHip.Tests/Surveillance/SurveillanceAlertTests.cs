using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;
using OpenHip.Tests.Subscriptions;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// Issue #10 items 4-5: one cholera case raises a level-I alert at once, three HFMD cases in one county within a week one
/// level-III cluster alert (not three); the alert is a Task (lifecycle) focusing a DetectedIssue (the signal), its
/// lifecycle is enforced on every write, and a Subscription delivers it to a real endpoint.
/// </summary>
public sealed class SurveillanceAlertTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
    private HookReceiver _receiver = null!;
    private DataDirectoryServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _receiver = await HookReceiver.StartAsync();
        _server = await DataDirectoryServer.StartAsync(_directory, new Dictionary<string, string?>
        {
            ["Modules:Surveillance:DetectCases"] = "true",
            ["Fhir:OutboxPollInterval"] = "00:00:00.050",
            ["Fhir:Subscriptions:AllowedEndpoints:0"] = _receiver.Endpoint,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
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
    public async Task OneCholeraCase_RaisesALevelOneAlert_DeliveredToTheSubscriber()
    {
        string subscription = $$$"""
            {"resourceType":"Subscription","status":"requested","reason":"alerts","criteria":"Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert",
             "channel":{"type":"rest-hook","endpoint":"{{{_receiver.Endpoint}}}","payload":"application/fhir+json"}}
            """;
        using (HttpResponseMessage created = await Client.PostAsync("Subscription", ServerFixture.Json(subscription)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await PutPatientAsync(Client, "alert-cholera", "male", "1970-01-01", "320102");
        await PostConditionAsync(Client, "alert-cholera", "A00", "2026-02-20");

        JsonObject task = await OneAlertAsync("cholera");
        Assert.Equal(("requested", "new", "stat"), ((string?)task["status"], Code(task["businessStatus"]), (string?)task["priority"]));
        Assert.Equal("I", Input(task, "level"));
        JsonNode signal = JsonNode.Parse(await Client.GetStringAsync((string)task["focus"]!["reference"]!))!;
        Assert.Equal("DetectedIssue", (string?)signal["resourceType"]);
        Assert.Equal("high", (string?)signal["severity"]);
        Assert.StartsWith("EpisodeOfCare/", (string?)signal["implicated"]![0]!["reference"], StringComparison.Ordinal);

        string taskPath = "/Task/" + (string)task["id"]!;
        DateTime until = DateTime.UtcNow + Deadline;
        while (!_receiver.Received.Any(r => r.Path.EndsWith(taskPath, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < until, "the alert was not delivered to the subscriber");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task FourHfmdCasesInOneCountyWithinAWeek_RaiseOneClusterAlert()
    {
        for (int i = 0; i < 4; i++)
        {
            await PutPatientAsync(Client, $"alert-hfmd-{i}", "female", "2022-01-01", "440106");
            await PostConditionAsync(Client, $"alert-hfmd-{i}", "B08.4", $"2026-05-0{i + 1}");
        }

        await WaitForTotalAsync(Client, "disease=hfmd&area=440106&start=2026-05-01&end=2026-05-31", 4);
        JsonObject task = await OneAlertAsync("hfmd", "county-cluster");
        Assert.Equal(("III", "urgent"), (Input(task, "level"), (string?)task["priority"]));
    }

    [Fact]
    public async Task TenCasesOnOneQuietDay_RaiseClusterAberrationAndTheirCombinedAlert()
    {
        for (int i = 0; i < 10; i++)
        {
            await PutPatientAsync(Client, $"alert-spike-{i}", "male", "2015-01-01", "510104");
        }

        // One transaction: all ten cases in one batch, so the three rules judge the same counts.
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject
        {
            ["resource"] = JsonNode.Parse($$$"""
                {"resourceType":"Condition","subject":{"reference":"Patient/alert-spike-{{{i}}}"},
                 "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
                 "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"A90"}]},"onsetDateTime":"2026-07-10"}
                """),
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Condition" },
        })])
        };
        using (HttpResponseMessage posted = await Client.PostAsync(string.Empty, ServerFixture.Json(bundle.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        DateTime until = DateTime.UtcNow + Deadline;
        string[] levels = [];
        while (levels.Length < 3)
        {
            Assert.True(DateTime.UtcNow < until, $"alerts raised: {string.Join(", ", levels)}");
            await Task.Delay(50);
            string body = await Client.GetStringAsync("Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert&_count=100");
            levels = [.. (JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject()).Where(t => Input(t, "disease") == "dengue").Select(t => Input(t, "level")!).Order()];
        }

        Assert.Equal(["II", "III", "IV"], levels);
    }

    [Fact]
    public async Task Lifecycle_IsEnforced_AndClosingNeedsAnOutcome()
    {
        await PutPatientAsync(Client, "alert-plague", "male", "1980-01-01", "110101");
        await PostConditionAsync(Client, "alert-plague", "A20", "2026-03-01");
        JsonObject task = await OneAlertAsync("plague");
        string id = (string)task["id"]!;

        JsonObject acknowledged = await PutStateAsync(task, "acknowledged", null, HttpStatusCode.OK);
        Assert.Equal("accepted", (string?)acknowledged["status"]);
        await PutStateAsync(acknowledged, "closed", null, HttpStatusCode.UnprocessableEntity);
        await PutStateAsync(acknowledged, "resolved", null, HttpStatusCode.UnprocessableEntity);
        await PutStateAsync(acknowledged, "investigating", "false-alarm", HttpStatusCode.UnprocessableEntity);
        JsonObject closed = await PutStateAsync(acknowledged, "closed", "true-outbreak", HttpStatusCode.OK);
        Assert.Equal("completed", (string?)closed["status"]);

        using HttpResponseMessage history = await Client.GetAsync($"Task/{id}/_history");
        Assert.Equal(3, JsonNode.Parse(await history.Content.ReadAsStringAsync())!["entry"]!.AsArray().Count);
    }

    private async Task<JsonObject> OneAlertAsync(string disease, string? rule = null)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (true)
        {
            string body = await Client.GetStringAsync("Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert&_count=100");
            JsonObject[] alerts = [.. (JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject()).Where(t => Input(t, "disease") == disease && (rule is null || Input(t, "rule") == rule))];
            if (alerts.Length > 0)
            {
                // Give a second alert (there must be none) the time the first one took.
                await Task.Delay(500);
                body = await Client.GetStringAsync("Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert&_count=100");
                return Assert.Single((JsonNode.Parse(body)!["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject()), t => Input(t, "disease") == disease && (rule is null || Input(t, "rule") == rule));
            }

            Assert.True(DateTime.UtcNow < until, $"no {disease} alert was raised");
            await Task.Delay(50);
        }
    }

    private async Task<JsonObject> PutStateAsync(JsonObject task, string state, string? outcome, HttpStatusCode expected)
    {
        var changed = (JsonObject)task.DeepClone();
        changed["businessStatus"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://openhip.org/fhir/CodeSystem/surveillance-alert-state", ["code"] = state }) };
        changed.Remove("output");
        if (outcome is not null)
        {
            changed["output"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://openhip.org/fhir/CodeSystem/surveillance-task", ["code"] = "outcome" }) },
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://openhip.org/fhir/CodeSystem/surveillance-alert-outcome", ["code"] = outcome }) },
            });
        }

        using HttpResponseMessage response = await Client.PutAsync("Task/" + (string)task["id"]!, ServerFixture.Json(changed.ToJsonString()));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{state}/{outcome}: {(int)response.StatusCode} {body}");
        return expected == HttpStatusCode.OK ? JsonNode.Parse(body)!.AsObject() : task;
    }

    private static string? Code(JsonNode? concept) => (string?)concept?["coding"]?[0]?["code"];

    private static string? Input(JsonObject task, string name)
    {
        JsonNode? input = task["input"]?.AsArray().FirstOrDefault(i => Code(i!["type"]) == name);
        return Code(input?["valueCodeableConcept"]) ?? (string?)input?["valueCode"] ?? (string?)input?["valueString"];
    }
}
