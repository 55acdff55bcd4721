using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Testing;
using OpenHip.Tests.Durability;

namespace OpenHip.Tests.Nodes;

/// <summary>
/// Two real `openhip serve` processes on one PostgreSQL database behave as one server: what one node commits the other
/// reads and finds at once, a SearchParameter created on one is used by the other, concurrent updates spread over both
/// give exactly one winner per version, and concurrent conditional creates make one resource.
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

    [SkippableFact]
    public async Task SearchParameterCreatedOnNodeA_IndexesAndSearchesOnNodeB()
    {
        (OpenHipProcess a, OpenHipProcess b) = await StartNodesAsync();
        using (a)
        using (b)
        {
            using HttpClient onA = Client(a);
            using HttpClient onB = Client(b);
            using HttpResponseMessage parameter = await onA.PutAsync("SearchParameter/patient-birth-order", Json("""
                {"resourceType":"SearchParameter","id":"patient-birth-order","url":"http://openhip.org/fhir/SearchParameter/patient-birth-order",
                 "name":"birth-order","status":"active","description":"Birth order of a multiple birth","code":"birth-order","base":["Patient"],
                 "type":"number","expression":"Patient.multipleBirth.as(integer)"}
                """));
            Assert.Equal(HttpStatusCode.Created, parameter.StatusCode);

            // Node B learns of it from the outbox; a strict search names an unknown parameter with 400 until then.
            HttpStatusCode known = HttpStatusCode.BadRequest;
            for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); known != HttpStatusCode.OK && DateTime.UtcNow < deadline; await Task.Delay(50))
            {
                using var strict = new HttpRequestMessage(HttpMethod.Get, "Patient?birth-order=2");
                strict.Headers.Add("Prefer", "handling=strict");
                using HttpResponseMessage probe = await onB.SendAsync(strict);
                known = probe.StatusCode;
            }

            Assert.Equal(HttpStatusCode.OK, known);
            using HttpResponseMessage twin = await onB.PutAsync("Patient/twin", Json("""{"resourceType":"Patient","id":"twin","multipleBirthInteger":2}"""));
            Assert.Equal(HttpStatusCode.Created, twin.StatusCode);
            JsonNode found = JsonNode.Parse(await onA.GetStringAsync("Patient?birth-order=2&_total=accurate"))!;
            Assert.Equal(1, found["total"]!.GetValue<int>());
            Assert.Equal("twin", found["entry"]![0]!["resource"]!["id"]!.GetValue<string>());
        }
    }

    [SkippableFact]
    public async Task ConditionalCreates_50AtOnceOverBothNodes_CreateExactlyOneResource()
    {
        (OpenHipProcess a, OpenHipProcess b) = await StartNodesAsync();
        using (a)
        using (b)
        {
            using HttpClient onA = Client(a);
            using HttpClient onB = Client(b);
            HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            {
                using var create = new HttpRequestMessage(HttpMethod.Post, "Patient")
                {
                    Content = Json("""{"resourceType":"Patient","identifier":[{"system":"urn:oid:2.16.840.1.113883.2.23","value":"race-1"}]}"""),
                };
                create.Headers.Add("If-None-Exist", "identifier=urn:oid:2.16.840.1.113883.2.23|race-1");
                using HttpResponseMessage response = await (i % 2 == 0 ? onA : onB).SendAsync(create);
                return response.StatusCode;
            }));

            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
            Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.OK, s));
            JsonNode bundle = JsonNode.Parse(await onB.GetStringAsync("Patient?identifier=urn:oid:2.16.840.1.113883.2.23|race-1&_total=accurate"))!;
            Assert.Equal(1, bundle["total"]!.GetValue<int>());
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
