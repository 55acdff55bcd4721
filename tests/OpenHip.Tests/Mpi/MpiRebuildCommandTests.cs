using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Storage;
using OpenHip.Hosting;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Mpi;

/// <summary>`openhip mpi rebuild` on a SQLite data directory written by a server that has stopped.</summary>
public sealed class MpiRebuildCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-rebuild", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Rebuild_OnTheDataDirectory_LinksEveryPatientAndLeavesNoCheckpoint()
    {
        var settings = new Dictionary<string, string?> { [ServerOptions.DataDirectoryKey] = _directory, [ServerOptions.UrlsKey] = $"http://127.0.0.1:{ServerFixture.FreePort()}", ["Security:Auth:Enabled"] = "false" };
        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await using (app)
        {
            // Written straight to the store: no consumer has linked them when the server is gone.
            IFhirStore store = app.Services.GetRequiredService<IFhirStore>();
            for (int i = 0; i < 3; i++)
            {
                byte[] json = System.Text.Encoding.UTF8.GetBytes(MpiHttpTests.Patient("王", "芳", "1975-01-20", "110105197501200028", $"mrn-{i}", null).Replace("{\"resourceType\":\"Patient\",", $"{{\"resourceType\":\"Patient\",\"id\":\"p{i}\",", StringComparison.Ordinal));
                await store.CommitAsync(Changeset.Of(new ResourceWrite("Patient", $"p{i}", 1, 0, DateTimeOffset.UtcNow, WriteMethod.Create, json, null, [], [])), CancellationToken.None);
            }

            await Stores.DisposeAsync(store);
        }

        int exit = await OpenHipServer.RebuildMpiAsync(null, settings, CancellationToken.None);

        Assert.Equal(0, exit);
        app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await using (app)
        {
            IFhirStore store = app.Services.GetRequiredService<IFhirStore>();
            List<StoredResource> persons = [];
            await foreach (StoredResource person in store.StreamCurrentAsync("Person", null, null, CancellationToken.None))
            {
                persons.Add(person);
            }

            Assert.Single(persons);
            Assert.Null(await store.GetStateAsync("mpi-rebuild", CancellationToken.None));
            await Stores.DisposeAsync(store);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }
}
