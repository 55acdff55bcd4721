using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Testing;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Subscriptions;

/// <summary>
/// Two nodes over one PostgreSQL database, both running the delivery service: each Subscription has one delivery stream
/// (its outbox lease), so every matching write, whichever node took it, reaches the endpoint once and in write order.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class TwoNodeSubscriptionTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private const int Writes = 30;
    private readonly List<string> _directories = [];
    private HookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await HookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        foreach (string directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    [SkippableFact]
    public async Task WritesOnBothNodes_AreEachNotifiedOnce_InWriteOrder()
    {
        string connection = await database.CreateSchemaAsync();
        await using DataDirectoryServer a = await StartAsync(connection);
        await using DataDirectoryServer b = await StartAsync(connection);
        string subscription = $$$"""
            {"resourceType":"Subscription","status":"requested","reason":"two nodes","criteria":"Patient?family=Zhao",
             "channel":{"type":"rest-hook","endpoint":"{{{_receiver.Endpoint}}}","payload":"application/fhir+json"}}
            """;
        using (HttpResponseMessage created = await a.Client.PostAsync(new Uri("Subscription", UriKind.Relative), ServerFixture.Json(subscription)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var written = new List<string>();
        for (int i = 0; i < Writes; i++)
        {
            string id = $"zhao-{i:D2}";
            using HttpResponseMessage response = await (i % 2 == 0 ? a : b).Client.PutAsync(
                new Uri("Patient/" + id, UriKind.Relative), ServerFixture.Json($$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"Zhao"}]}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            written.Add(id);
        }

        DateTime until = DateTime.UtcNow + SubscriptionDeadline;
        while (_receiver.Received.Count < Writes)
        {
            Assert.True(DateTime.UtcNow < until, $"{_receiver.Received.Count} of {Writes} notifications arrived");
            await Task.Delay(50);
        }

        // Longer than a poll on each node: a second delivery stream would have sent duplicates by now.
        await Task.Delay(1_000);
        Assert.Equal(written, _receiver.Received.Select(r => r.Path.Split('/')[^1]));
        Assert.All(_receiver.Received, r => Assert.Equal("Zhao", (string?)JsonNode.Parse(r.Body)!["name"]![0]!["family"]));
    }

    private static readonly TimeSpan SubscriptionDeadline = TimeSpan.FromSeconds(60);

    private Task<DataDirectoryServer> StartAsync(string connection)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-nodes", Guid.NewGuid().ToString("n"));
        _directories.Add(directory);
        return DataDirectoryServer.StartAsync(directory, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:PostgreSql:ConnectionString"] = connection,
            ["Modules:Surveillance:DetectCases"] = "false",
            ["Fhir:OutboxPollInterval"] = "00:00:00.050",
            ["Fhir:Subscriptions:AllowedEndpoints:0"] = _receiver.Endpoint,
        });
    }
}
