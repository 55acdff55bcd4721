using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenHip.Hosting;

namespace OpenHip.Tests.Http;

public sealed class DemoServeTests
{
    [Fact]
    public async Task ServeDemo_EmptyStore_LoadsRegionThenReportsReady()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string root = $"http://127.0.0.1:{port}";
        WebApplication app = await OpenHipServer.BuildAsync(null, new Dictionary<string, string?>
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = dataDir,
            [ServerOptions.DemoKey] = "true",
            ["Server:DemoPatients"] = "20",
        }, CancellationToken.None);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(root) };
            DateTime deadline = DateTime.UtcNow.AddMinutes(2);
            HttpStatusCode ready;
            do
            {
                ready = (await client.GetAsync("/readyz")).StatusCode;
            }
            while (ready != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));

            Assert.Equal(HttpStatusCode.OK, ready);
            JsonNode history = JsonNode.Parse(await client.GetStringAsync("/fhir/Patient/_history?_count=1"))!;
            Assert.True(history["total"]!.GetValue<long>() >= 20);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
