using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Durability;

/// <summary>
/// Issue 9: identical conditional creates racing on one server make exactly one resource. Each round sends the same
/// `POST Patient` with `If-None-Exist` from many clients at once; one must answer 201 and every other 200 with that
/// same resource (R4 3.1.0.8.1: a single match is returned, not created again), and a search must find one.
/// </summary>
internal static class ConditionalCreateRace
{
    public const int Rounds = 50;
    public const int Racers = 32;
    private const string IdentifierSystem = "http://openhip.test/sid/race";

    public static async Task RunAsync(OpenHipProcess server, string runId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        for (int round = 1; round <= Rounds; round++)
        {
            string value = string.Create(CultureInfo.InvariantCulture, $"{runId}-{round}");
            // Released together, so that the requests reach the server as one burst rather than one by one.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<(HttpStatusCode Status, string Body)>[] racing = [.. Enumerable.Range(0, Racers).Select(_ => CreateAsync(http, value, start.Task))];
            start.SetResult();
            (HttpStatusCode Status, string Body)[] answers = await Task.WhenAll(racing);

            string failure = $"round {round}: {string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Count()} x {(int)g.Key}"))}";
            Assert.True(answers.Count(a => a.Status == HttpStatusCode.Created) == 1, failure);
            Assert.True(answers.All(a => a.Status is HttpStatusCode.Created or HttpStatusCode.OK), $"{failure}: {answers.FirstOrDefault(a => a.Status is not (HttpStatusCode.Created or HttpStatusCode.OK)).Body}");
            string[] ids = [.. answers.Select(a => JsonNode.Parse(a.Body)!["id"]!.GetValue<string>()).Distinct()];
            Assert.True(ids.Length == 1, $"round {round}: the answers name {ids.Length} resources: {string.Join(", ", ids)}");
            JsonNode found = JsonNode.Parse(await http.GetStringAsync($"Patient?identifier={IdentifierSystem}|{value}&_total=accurate"))!;
            Assert.Equal(1, found["total"]!.GetValue<int>());
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> CreateAsync(HttpClient http, string value, Task start)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "Patient")
        {
            Content = ServerFixture.Json($$"""{"resourceType":"Patient","identifier":[{"system":"{{IdentifierSystem}}","value":"{{value}}"}]}"""),
        };
        create.Headers.Add("If-None-Exist", $"identifier={IdentifierSystem}|{value}");
        await start;
        using HttpResponseMessage response = await http.SendAsync(create);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
