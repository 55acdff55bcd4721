using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Synthetic;
using OpenHip.Tests.Http;
using OpenHip.Tests.Subscriptions;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// Issue #10 end to end: a synthetic region with its injected outbreaks is ingested through the FHIR API into a server
/// that is stopped half-way and restarted on the same database. The norovirus outbreak raises an alert in its county
/// and window (this seed's HFMD outbreak, about three cases over 20 days, stays under every rule), a real HTTP
/// subscriber receives every alert, and the signals are exactly those of an uninterrupted server over the same data:
/// none lost, none doubled.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class OutbreakAlertEndToEndTests
{
    private const string AlertCriteria = "Task?code=http://openhip.org/fhir/CodeSystem/surveillance-task|surveillance-alert";

    [Fact]
    public async Task InjectedOutbreak_RestartMidIngest_AlertsReachTheSubscriberAndMatchAnUninterruptedRun()
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = 1000, Seed = 4 });
        OutbreakDefinition norovirus = generator.Outbreaks.Single(o => o.Id == "OB2");
        Bundle[] bundles = [generator.CreateSharedBundle(), .. generator.GenerateResidents().Select(r => r.Bundle)];

        string[] uninterrupted;
        await using (HookReceiver reference = await HookReceiver.StartAsync())
        {
            uninterrupted = await RunAsync(bundles, reference, restartAfter: null);
        }

        await using HookReceiver receiver = await HookReceiver.StartAsync();
        string[] restarted = await RunAsync(bundles, receiver, restartAfter: bundles.Length / 2);

        Assert.Equal(uninterrupted, restarted);
        string county = norovirus.DivisionCode[..6];
        Assert.True(
            restarted.Any(s => s.Contains($":infectious-diarrhoea:{county}|", StringComparison.Ordinal) && InWindow(s, norovirus)),
            $"no infectious-diarrhoea signal in county {county} between {norovirus.Start} and {norovirus.End}; signals: {string.Join(", ", restarted)}");
    }

    /// <summary>Ingests the region (restarting the server after <paramref name="restartAfter"/> bundles) and returns its signals, once every alert reached the subscriber.</summary>
    private static async Task<string[]> RunAsync(Bundle[] bundles, HookReceiver receiver, int? restartAfter)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
        try
        {
            int first = restartAfter ?? bundles.Length;
            await using (DataDirectoryServer server = await StartAsync(directory, receiver))
            {
                string subscription = $$$"""
                    {"resourceType":"Subscription","status":"requested","reason":"alerts","criteria":"{{{AlertCriteria}}}",
                     "channel":{"type":"rest-hook","endpoint":"{{{receiver.Endpoint}}}","payload":"application/fhir+json"}}
                    """;
                using HttpResponseMessage created = await server.Client.PostAsync("Subscription", ServerFixture.Json(subscription));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                foreach (Bundle bundle in bundles[..first])
                {
                    await PostBundleAsync(server.Client, bundle);
                }

                if (restartAfter is null)
                {
                    return await SettledSignalsAsync(server.Client, receiver);
                }

                // Stopped at once: detection and delivery are still working through what was just written.
            }

            await using DataDirectoryServer second = await StartAsync(directory, receiver);
            foreach (Bundle bundle in bundles[first..])
            {
                await PostBundleAsync(second.Client, bundle);
            }

            return await SettledSignalsAsync(second.Client, receiver);
        }
        finally
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

    /// <summary>
    /// Waits until a sentinel case written last is counted (the outbox is handled in order) and every alert Task has been
    /// delivered; returns the signals as "rule:disease:county|identified", sorted.
    /// </summary>
    private static async Task<string[]> SettledSignalsAsync(HttpClient client, HookReceiver receiver)
    {
        await SettleAsync(client);

        JsonNode tasks = JsonNode.Parse(await client.GetStringAsync(AlertCriteria + "&_count=1000&_elements=id"))!;
        string[] taskIds = [.. (tasks["entry"]?.AsArray() ?? []).Select(e => (string)e!["resource"]!["id"]!)];
        for (DateTime deadline = DateTime.UtcNow + Deadline; ; await System.Threading.Tasks.Task.Delay(50))
        {
            string[] missing = [.. taskIds.Where(id => !receiver.Received.Any(r => r.Path.EndsWith("/Task/" + id, StringComparison.Ordinal)))];
            if (missing.Length == 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{missing.Length} of {taskIds.Length} alerts were not delivered");
        }

        Assert.All(receiver.Received.Where(r => r.Path.Contains("/Task/", StringComparison.Ordinal)), r => Assert.Contains(r.Path.Split('/')[^1], taskIds));
        JsonNode signals = JsonNode.Parse(await client.GetStringAsync("DetectedIssue?_count=1000"))!;
        return [.. (signals["entry"]?.AsArray() ?? [])
            .Select(e => e!["resource"]!)
            .Select(s => (string)s["identifier"]![0]!["value"]! + "|" + (string)s["identifiedDateTime"]!)
            .Order(StringComparer.Ordinal)];
    }

    private static bool InWindow(string signal, OutbreakDefinition outbreak)
    {
        DateOnly day = DateOnly.Parse(signal.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture);
        return day >= outbreak.Start && day <= outbreak.End.AddDays(7);
    }

    private static Task<DataDirectoryServer> StartAsync(string directory, HookReceiver receiver) =>
        DataDirectoryServer.StartAsync(directory, new Dictionary<string, string?>
        {
            ["Modules:Surveillance:DetectCases"] = "true",
            ["Modules:Mpi:LinkOnWrite"] = "false",
            ["Fhir:OutboxPollInterval"] = "00:00:00.050",
            ["Fhir:Subscriptions:AllowedEndpoints:0"] = receiver.Endpoint,
        });
}
