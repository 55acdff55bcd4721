using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Testing;
using OpenHip.Tests.Durability;

namespace OpenHip.Tests.Mpi;

/// <summary>
/// Two `openhip serve` processes on one PostgreSQL database, each taking registrations of the same residents at once:
/// the linking consumer runs on one node at a time, so every resident ends with exactly one golden Person.
/// </summary>
[Collection(PostgreSqlTests.Name)]
[Trait("Category", "Heavy")]
public sealed class MpiTwoNodeTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private readonly List<string> _directories = [];

    [SkippableFact]
    public async Task SameResidentsRegisteredOnBothNodesAtOnce_OneGoldenPersonEach()
    {
        string connectionString = await database.CreateSchemaAsync();
        string[] store = ["--store", "postgres", "--connection", connectionString];
        using OpenHipProcess a = await OpenHipProcess.StartAsync(NewDirectory(), ReadyWithin, store);
        using OpenHipProcess b = await OpenHipProcess.StartAsync(NewDirectory(), ReadyWithin, store);
        using var onA = new HttpClient { BaseAddress = new Uri(a.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        using var onB = new HttpClient { BaseAddress = new Uri(b.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        string[] ids = ["33010619870312017X", "110105197501200028", "330106196909090035"];
        string[] families = ["张", "王", "刘"];
        string[] givens = ["伟", "芳", "洋"];

        // Each resident is registered twice on each node, all at once.
        HttpStatusCode[] statuses = await Task.WhenAll(ids.SelectMany((id, i) => Enumerable.Range(0, 4).Select(async copy =>
        {
            HttpClient node = copy % 2 == 0 ? onA : onB;
            string json = MpiHttpTests.Patient(families[i], givens[i], $"19{70 + i}-01-0{i + 1}", id, $"mrn-{i}-{copy}", null);
            using HttpResponseMessage created = await node.PostAsync("Patient", new StringContent(json, Encoding.UTF8, "application/fhir+json"));
            return created.StatusCode;
        })));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));

        for (DateTime deadline = DateTime.UtcNow.AddSeconds(90); ; await Task.Delay(100))
        {
            JsonNode bundle = JsonNode.Parse(await onB.GetStringAsync("Person?_count=100"))!;
            JsonArray persons = bundle["entry"]?.AsArray() ?? [];
            if (persons.Count == ids.Length && persons.All(p => p!["resource"]!["link"]!.AsArray().Count == 4))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {ids.Length} Persons of 4 links each, found {persons.ToJsonString()}");
        }

        JsonNode all = JsonNode.Parse(await onA.GetStringAsync("Person?_total=accurate"))!;
        Assert.Equal(ids.Length, all["total"]!.GetValue<int>());
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

    private string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-mpi-nodes", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        _directories.Add(directory);
        return directory;
    }
}
