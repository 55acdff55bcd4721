using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Synthetic;
using OpenHip.Tests.Http;
using static OpenHip.Tests.Surveillance.SurveillanceHttp;

namespace OpenHip.Tests.Surveillance;

/// <summary>
/// A synthetic region ingested through the API into a server that is stopped half-way (its consumer mid-batch) and
/// restarted on the same database counts exactly what an uninterrupted server counts.
/// </summary>
public sealed class CaseDetectionRestartTests
{
    private static readonly string[] Diseases = ["ili", "hfmd", "infectious-diarrhoea", "dengue", "tuberculosis"];
    private const string History = "start=2023-01-01&end=2026-06-30";

    [Fact]
    public async Task Restart_MidIngest_CountsSameAsUninterrupted()
    {
        var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = 80, Seed = 11 });
        Bundle[] bundles = [generator.CreateSharedBundle(), .. generator.GenerateResidents().Select(r => r.Bundle)];

        var reference = new SurveillanceServerFixture();
        await reference.InitializeAsync();
        Dictionary<string, int> expected;
        try
        {
            foreach (Bundle bundle in bundles)
            {
                await PostBundleAsync(reference.Client, bundle);
            }

            await SettleAsync(reference.Client);
            expected = await TotalsAsync(reference.Client);
        }
        finally
        {
            await reference.DisposeAsync();
        }

        Assert.True(expected["ili"] > 0, "the synthetic region should hold ILI cases");
        string directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));
        try
        {
            int half = bundles.Length / 2;
            await using (DataDirectoryServer first = await StartAsync(directory))
            {
                foreach (Bundle bundle in bundles[..half])
                {
                    await PostBundleAsync(first.Client, bundle);
                }

                // Stopped at once: the consumer is still working through the events just written.
            }

            await using DataDirectoryServer second = await StartAsync(directory);
            foreach (Bundle bundle in bundles[half..])
            {
                await PostBundleAsync(second.Client, bundle);
            }

            await SettleAsync(second.Client);
            Assert.Equal(expected, await TotalsAsync(second.Client));
            using HttpResponseMessage cases = await second.Client.GetAsync("EpisodeOfCare?_summary=count");
            int stored = JsonNode.Parse(await cases.Content.ReadAsStringAsync())!["total"]!.GetValue<int>();
            Assert.Equal(expected.Values.Sum() + 1, stored); // + the sentinel
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

    private static async Task<Dictionary<string, int>> TotalsAsync(HttpClient client)
    {
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string disease in Diseases)
        {
            totals[disease] = Total(await SeriesAsync(client, $"disease={disease}&{History}&granularity=isoweek"));
        }

        return totals;
    }

    private static Task<DataDirectoryServer> StartAsync(string directory) =>
        DataDirectoryServer.StartAsync(directory, new Dictionary<string, string?> { ["Fhir:OutboxPollInterval"] = "00:00:00.050" });
}
