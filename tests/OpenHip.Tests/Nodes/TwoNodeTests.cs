using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Testing;
using OpenHip.Tests.Durability;

namespace OpenHip.Tests.Nodes;

/// <summary>
/// Two real `openhip serve` processes on one PostgreSQL database behave as one server: what one node commits the other
/// reads and finds at once, and concurrent updates spread over both give exactly one winner per version.
/// </summary>
[Collection(PostgreSqlTests.Name)]
[Trait("Category", "Heavy")]
public sealed class TwoNodeTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private readonly List<string> _directories = [];

    [SkippableFact]
    public async Task WriteOnNodeA_IsReadableAndSearchableOnNodeB()
    {
        (OpenHipProcess a, OpenHipProcess b) = await StartNodesAsync();
        using (a)
        using (b)
        {
            using HttpClient onA = Client(a);
            using HttpClient onB = Client(b);

            using HttpResponseMessage created = await onA.PutAsync("Patient/two-nodes", Json(Patient("two-nodes", "Zhang")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            using HttpResponseMessage read = await onB.GetAsync("Patient/two-nodes");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            JsonNode bundle = JsonNode.Parse(await onB.GetStringAsync("Patient?family=zhang&_total=accurate"))!;
            Assert.Equal(1, bundle["total"]!.GetValue<int>());
            Assert.Equal("two-nodes", bundle["entry"]![0]!["resource"]!["id"]!.GetValue<string>());
        }
    }

    [SkippableFact]
    public async Task IfMatchUpdates_50AtOnceOverBothNodes_OneWinnerPerVersionAndNoLostUpdate()
    {
        (OpenHipProcess a, OpenHipProcess b) = await StartNodesAsync();
        using (a)
        using (b)
        {
            using HttpClient onA = Client(a);
            using HttpClient onB = Client(b);
            using HttpResponseMessage created = await onA.PutAsync("Patient/contended", Json(Patient("contended", "Wang")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            for (int version = 1; version <= 3; version++)
            {
                int expected = version;
                HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
                {
                    using var update = new HttpRequestMessage(HttpMethod.Put, "Patient/contended")
                    {
                        Content = Json(Patient("contended", $"Wang{expected}-{i}")),
                    };
                    update.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{expected}\"", isWeak: true));
                    using HttpResponseMessage response = await (i % 2 == 0 ? onA : onB).SendAsync(update);
                    return response.StatusCode;
                }));

                Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
                Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.PreconditionFailed, s));
            }

            JsonNode history = JsonNode.Parse(await onB.GetStringAsync("Patient/contended/_history"))!;
            Assert.Equal(4, history["total"]!.GetValue<int>());
            JsonNode current = JsonNode.Parse(await onA.GetStringAsync("Patient/contended"))!;
            Assert.Equal("4", current["meta"]!["versionId"]!.GetValue<string>());
        }
    }

    public void Dispose()
    {
        foreach (string directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory does not affect results.
            }
        }
    }

    private async Task<(OpenHipProcess A, OpenHipProcess B)> StartNodesAsync()
    {
        string connectionString = await database.CreateSchemaAsync();
        string[] store = ["--store", "postgres", "--connection", connectionString];
        OpenHipProcess a = await OpenHipProcess.StartAsync(NewDirectory(), ReadyWithin, store);
        try
        {
            return (a, await OpenHipProcess.StartAsync(NewDirectory(), ReadyWithin, store));
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }

    private string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-nodes", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        _directories.Add(directory);
        return directory;
    }

    private static HttpClient Client(OpenHipProcess node) => new() { BaseAddress = new Uri(node.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };

    private static string Patient(string id, string family) =>
        $$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"{{family}}"}]}""";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");
}
