using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenHip.Hosting;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Demo;

public sealed class DemoServeTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task ServeDemo_EmptyStore_LoadsRegionThenReportsReady()
    {
        (WebApplication app, string root) = await StartAsync(demo: true);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(root) };
            Assert.Equal(HttpStatusCode.OK, await PollReadyAsync(client));
            JsonNode history = JsonNode.Parse(await client.GetStringAsync("/fhir/Patient/_history?_count=1"))!;
            Assert.True(history["total"]!.GetValue<long>() >= 20);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServeDemo_StoreWithOtherData_RefusesAndStopsWithoutWriting()
    {
        (WebApplication plain, string plainRoot) = await StartAsync(demo: false, shippedTerminology: false);
        using (var client = new HttpClient { BaseAddress = new Uri(plainRoot + "/fhir/") })
        {
            using HttpResponseMessage created = await client.PutAsync("Patient/mine", ServerFixture.Json("""{"resourceType":"Patient","id":"mine","active":true}"""));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await plain.StopAsync();
        await plain.DisposeAsync();

        (WebApplication demo, string _) = await StartAsync(demo: true, shippedTerminology: false);
        try
        {
            IHostApplicationLifetime lifetime = demo.Services.GetRequiredService<IHostApplicationLifetime>();
            var stopped = new TaskCompletionSource();
            using CancellationTokenRegistration registration = lifetime.ApplicationStopping.Register(stopped.SetResult);
            await stopped.Task.WaitAsync(TimeSpan.FromMinutes(1));

            Readiness readiness = demo.Services.GetRequiredService<Readiness>();
            Assert.False(readiness.IsReady);
            Assert.NotNull(readiness.Failure);
        }
        finally
        {
            await demo.StopAsync();
            await demo.DisposeAsync();
        }

        (WebApplication after, string afterRoot) = await StartAsync(demo: false, shippedTerminology: false);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(afterRoot) };
            JsonNode history = JsonNode.Parse(await client.GetStringAsync("/fhir/_history?_count=1"))!;
            Assert.Equal(1, history["total"]!.GetValue<long>());
        }
        finally
        {
            await after.StopAsync();
            await after.DisposeAsync();
        }
    }

    private async Task<(WebApplication App, string Root)> StartAsync(bool demo, bool shippedTerminology = true)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string root = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        WebApplication app = await OpenHipServer.BuildAsync(null, new Dictionary<string, string?>
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = _dataDir,
            [ServerOptions.DemoKey] = demo ? "true" : "false",
            ["Security:Auth:Enabled"] = "false",
            ["Server:DemoPatients"] = "20",
            ["Modules:Terminology:LoadCoreContent"] = shippedTerminology ? "true" : "false",
            ["Modules:Terminology:LoadNationalContent"] = shippedTerminology ? "true" : "false",

            // Golden Persons written by the MPI would count as "other data" of their own.
            ["Modules:Mpi:LinkOnWrite"] = "false",
        }, CancellationToken.None);
        try
        {
            await app.StartAsync();
        }
        catch (OperationCanceledException) when (demo)
        {
            // The demo loader may refuse and stop the application before Kestrel has finished starting.
        }

        return (app, root);
    }

    private static async Task<HttpStatusCode> PollReadyAsync(HttpClient client)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            HttpStatusCode status = (await client.GetAsync("/readyz")).StatusCode;
            if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }
}
