using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Subscriptions;

/// <summary>
/// R4 rest-hook Subscriptions end to end: a real server notifies a real HTTP endpoint of matching writes, only
/// allow-listed endpoints are accepted, failures are retried and end in status error, and a notification the endpoint
/// never took survives a restart of the server.
/// </summary>
public sealed class RestHookSubscriptionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
    private HookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await HookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [Fact]
    public async Task MatchingWrite_IsPutToTheEndpointWithItsHeaders_OthersAreNot()
    {
        await using Server server = await Server.StartAsync(_dataDirectory, _receiver.Root);
        JsonNode subscription = await server.CreateAsync(Subscription("Observation?code=http://loinc.org|94500-6", "application/fhir+json"));
        Assert.Equal("active", (string?)subscription["status"]);

        await server.CreateAsync(Observation("8867-4"));
        JsonNode positive = await server.CreateAsync(Observation("94500-6"));
        string id = (string)positive["id"]!;

        (string method, string path, string body, string? authorization) = await FirstAsync(r => r.Path.EndsWith("/Observation/" + id, StringComparison.Ordinal));
        Assert.Equal("PUT", method);
        Assert.Equal("Bearer hook-secret", authorization);
        Assert.Equal(id, (string?)JsonNode.Parse(body)!["id"]);

        // The other Observation was written first: had it matched, it would have arrived first.
        Assert.All(_receiver.Received, r => Assert.EndsWith("/Observation/" + id, r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutPayload_TheNotificationIsAnEmptyPost()
    {
        await using Server server = await Server.StartAsync(_dataDirectory, _receiver.Root);
        await server.CreateAsync(Subscription("Patient?family=Zhang", null));

        await server.CreateAsync("""{"resourceType":"Patient","name":[{"family":"Zhang"}]}""");

        (string method, string path, string body, _) = await FirstAsync(_ => true);
        Assert.Equal(("POST", "/hook", string.Empty), (method, path, body));
    }

    [Theory]
    [InlineData("http://203.0.113.7/hook", "application/fhir+json", "Observation?code=x", "rest-hook")]
    [InlineData(null, "application/fhir+xml", "Observation?code=x", "rest-hook")]
    [InlineData(null, "application/fhir+json", "Observation?no-such-parameter=x", "rest-hook")]
    [InlineData(null, "application/fhir+json", "NotAType?code=x", "rest-hook")]
    [InlineData(null, "application/fhir+json", "Observation?code=x", "websocket")]
    public async Task SubscriptionTheServerCannotHonour_Is422AndNotStored(string? endpoint, string payload, string criteria, string channelType)
    {
        await using Server server = await Server.StartAsync(_dataDirectory, _receiver.Root);
        string body = Subscription(criteria, payload, endpoint ?? _receiver.Endpoint).Replace("\"rest-hook\"", $"\"{channelType}\"", StringComparison.Ordinal);

        using HttpResponseMessage response = await server.Client.PostAsync(new Uri("Subscription", UriKind.Relative), Json(body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("OperationOutcome", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["resourceType"]);
        using HttpResponseMessage search = await server.Client.GetAsync(new Uri("Subscription", UriKind.Relative));
        Assert.Null(JsonNode.Parse(await search.Content.ReadAsStringAsync())!["entry"]);
    }

    [Fact]
    public async Task EndpointFailingEveryAttempt_SetsTheSubscriptionToErrorWithTheReason()
    {
        _receiver.Answer = HttpStatusCode.ServiceUnavailable;
        await using Server server = await Server.StartAsync(_dataDirectory, _receiver.Root, ("Fhir:Subscriptions:MaxAttempts", "3"));
        string id = (string)(await server.CreateAsync(Subscription("Patient?family=Wang", null)))["id"]!;

        await server.CreateAsync("""{"resourceType":"Patient","name":[{"family":"Wang"}]}""");

        JsonNode errored = await PollAsync(async () =>
        {
            JsonNode current = await server.ReadAsync("Subscription/" + id);
            return (string?)current["status"] == "error" ? current : null;
        });
        Assert.Contains("503", (string?)errored["error"], StringComparison.Ordinal);
        Assert.Equal(3, _receiver.Received.Count);
    }

    [Fact]
    public async Task NotificationTheEndpointNeverTook_IsDeliveredAfterARestart()
    {
        _receiver.Answer = HttpStatusCode.ServiceUnavailable;
        string patient;
        await using (Server first = await Server.StartAsync(_dataDirectory, _receiver.Root, ("Fhir:Subscriptions:MaxAttempts", "100")))
        {
            await first.CreateAsync(Subscription("Patient?family=Li", "application/fhir+json"));
            patient = (string)(await first.CreateAsync("""{"resourceType":"Patient","name":[{"family":"Li"}]}"""))["id"]!;
            await FirstAsync(r => r.Path.EndsWith("/Patient/" + patient, StringComparison.Ordinal));
        }

        int refused = _receiver.Received.Count;
        _receiver.Answer = HttpStatusCode.OK;
        await using Server second = await Server.StartAsync(_dataDirectory, _receiver.Root);

        await PollAsync(() => Task.FromResult<object?>(_receiver.Received.Count > refused ? true : null));
        Assert.EndsWith("/Patient/" + patient, _receiver.Received.Last().Path, StringComparison.Ordinal);
    }

    private string Subscription(string criteria, string? payload, string? endpoint = null)
    {
        var channel = new JsonObject
        {
            ["type"] = "rest-hook",
            ["endpoint"] = endpoint ?? _receiver.Endpoint,
            ["header"] = new JsonArray("Authorization: Bearer hook-secret"),
        };
        if (payload is not null)
        {
            channel["payload"] = payload;
        }

        return new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "test",
            ["criteria"] = criteria,
            ["channel"] = channel,
        }.ToJsonString();
    }

    private static string Observation(string code) =>
        $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/fhir+json");

    private async Task<(string Method, string Path, string Body, string? Authorization)> FirstAsync(Func<(string Method, string Path, string Body, string? Authorization), bool> predicate)
    {
        object found = await PollAsync(() => Task.FromResult<object?>(_receiver.Received.FirstOrDefault(predicate) is { Method: not null } hit ? hit : null));
        return ((string, string, string, string?))found;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, "nothing arrived before the deadline");
            await Task.Delay(50);
        }
    }

    private sealed class Server(DataDirectoryServer server) : IAsyncDisposable
    {
        public HttpClient Client => server.Client;

        public static async Task<Server> StartAsync(string dataDirectory, string allowed, params (string Key, string Value)[] extra)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Modules:Surveillance:DetectCases"] = "false",
                ["Fhir:Subscriptions:AllowedEndpoints:0"] = allowed + "/hook",
                ["Fhir:Subscriptions:FirstRetryDelay"] = "00:00:00.100",
            };
            foreach ((string key, string value) in extra)
            {
                settings[key] = value;
            }

            return new Server(await DataDirectoryServer.StartAsync(dataDirectory, settings));
        }

        public async Task<JsonNode> CreateAsync(string body)
        {
            using HttpResponseMessage response = await Client.PostAsync(new Uri(JsonNode.Parse(body)!["resourceType"]!.GetValue<string>(), UriKind.Relative), Json(body));
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, text);
            return JsonNode.Parse(text)!;
        }

        public async Task<JsonNode> ReadAsync(string path) => JsonNode.Parse(await Client.GetStringAsync(new Uri(path, UriKind.Relative)))!;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
