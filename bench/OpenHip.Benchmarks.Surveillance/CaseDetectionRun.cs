using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Hosting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Synthetic;

namespace OpenHip.Benchmarks.Surveillance;

/// <summary>
/// Case-detection throughput: a synthetic region is loaded through the FHIR API into a server whose surveillance
/// consumer is off, then the detector handles the whole outbox in the dispatcher's batches (256 events) exactly as the
/// consumer would, committing cases and counts. Prints events/s scanned and cases/s, and a second pass over the same
/// events (redelivery: everything already counted).
/// </summary>
internal static class CaseDetectionRun
{
    public static async System.Threading.Tasks.Task RunAsync(int residents)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-bench-surveillance", Guid.NewGuid().ToString("n"));
        string root = "http://127.0.0.1:" + FreePort().ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = directory,
            ["Modules:Terminology:LoadCoreContent"] = "false",
            ["Modules:Terminology:LoadNationalContent"] = "false",
            ["Modules:Mpi:LinkOnWrite"] = "false",
            ["Modules:Surveillance:DetectCases"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Security:Auth:Enabled"] = "false",
        };
        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(root + "/fhir/") };
            var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = residents, Seed = 3 });
            var load = Stopwatch.StartNew();
            await PostAsync(client, generator.CreateSharedBundle());
            foreach (ResidentHistory resident in generator.GenerateResidents())
            {
                await PostAsync(client, resident.Bundle);
            }

            Console.WriteLine($"loaded {residents} residents in {load.Elapsed.TotalSeconds:F1} s");
            var store = app.Services.GetRequiredService<IFhirStore>();
            var detector = app.Services.GetRequiredService<CaseDetector>();
            await PassAsync("first pass (detects and commits)", store, detector);
            await PassAsync("second pass (redelivery, nothing new)", store, detector);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async System.Threading.Tasks.Task PassAsync(string label, IFhirStore store, CaseDetector detector)
    {
        OutboxPosition position = OutboxPosition.Start;
        OutboxPosition head = await store.ReadOutboxHeadAsync(CancellationToken.None);
        int events = 0, cases = 0, repeats = 0;
        var clock = Stopwatch.StartNew();
        while (position.CompareTo(head) < 0)
        {
            IReadOnlyList<OutboxEvent> batch = await store.ReadOutboxAsync(position, 256, CancellationToken.None);
            if (batch.Count == 0)
            {
                break;
            }

            // Only the events that existed before the pass: the cases it writes join the outbox behind them.
            batch = [.. batch.Where(e => e.Position.CompareTo(head) <= 0)];
            if (batch.Count == 0)
            {
                break;
            }

            DetectionSummary summary = await detector.ProcessAsync(batch, CancellationToken.None);
            events += summary.Events;
            cases += summary.Cases;
            repeats += summary.Repeats;
            position = batch[^1].Position;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {events} events, {cases} cases, {repeats} repeats in {seconds:F2} s = {events / seconds:F0} events/s, {cases / seconds:F0} cases/s"));
    }

    private static async System.Threading.Tasks.Task PostAsync(HttpClient client, Bundle bundle)
    {
        using var content = new StringContent(FhirCodec.ToJsonString(bundle), System.Text.Encoding.UTF8, "application/fhir+json");
        using HttpResponseMessage response = await client.PostAsync(string.Empty, content);
        response.EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
