using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OpenHip.LoadDriver;

/// <summary>`reads`: seeds N Patients with client ids (transactions of 1,000 PUTs), then random reads by id.</summary>
internal static class ReadsScenario
{
    private const int EntriesPerSeedBundle = 1000;
    private const int SeedClients = 2;

    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 16;
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, Math.Max(clients, SeedClients));
        await SeedAsync(http, server, options.Resources).ConfigureAwait(false);

        // A second node over the same database (PostgreSQL): half the clients read through it. Server CPU is still
        // sampled from the first node only.
        await using ServerProcess? second = options.Nodes == 2
            ? await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false)
            : null;
        using HttpClient? secondHttp = second is null ? null : FhirHttp.Create(second.BaseUri, clients);

        async Task<bool> ReadAsync(int worker, CancellationToken ct)
        {
            int n = Random.Shared.Next(options.Resources);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"Patient/{Id(n)}", UriKind.Relative));
            request.Headers.Accept.ParseAdd("application/fhir+json");
            using HttpResponseMessage response = await (secondHttp is not null && worker % 2 == 1 ? secondHttp : http).SendAsync(request, ct).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }

        Console.WriteLine($"# reads: {clients} clients over {options.Nodes} node(s), {options.Seconds} s x {options.Repeat} windows after {options.Warmup} s warm-up, {options.Resources} Patients");
        if (options.Warmup > 0)
        {
            await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Warmup), ReadAsync).ConfigureAwait(false);
        }

        List<WindowResult> windows = [];
        for (int i = 0; i < options.Repeat; i++)
        {
            WindowResult window = await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Seconds), ReadAsync).ConfigureAwait(false);
            windows.Add(window);
            Console.WriteLine($"window {i + 1}: {window.Describe("reads")}");
        }

        Report.Summary("reads", windows, server);
    }

    public static string Id(int n) => "bench-" + n.ToString("D7", CultureInfo.InvariantCulture);

    public static async Task SeedAsync(HttpClient http, ServerProcess server, int resources)
    {
        int bundles = (resources + EntriesPerSeedBundle - 1) / EntriesPerSeedBundle;
        int nextBundle = -1;
        long seeded = 0;
        var started = Stopwatch.StartNew();
        Task[] seeders = new Task[SeedClients];
        for (int s = 0; s < SeedClients; s++)
        {
            seeders[s] = Task.Run(async () =>
            {
                int b;
                while ((b = Interlocked.Increment(ref nextBundle)) < bundles)
                {
                    int first = b * EntriesPerSeedBundle;
                    int last = Math.Min(first + EntriesPerSeedBundle, resources);
                    (int ok, int failed, string? problem) = await BundleResponse.PostAsync(http, SeedBundle(first, last), CancellationToken.None).ConfigureAwait(false);
                    if (failed > 0)
                    {
                        throw new InvalidOperationException($"seeding bundle {b} failed: {problem}");
                    }

                    Interlocked.Add(ref seeded, ok);
                }
            });
        }

        await Task.WhenAll(seeders).ConfigureAwait(false);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"seeded {seeded} Patients in {started.Elapsed.TotalSeconds:F1} s ({seeded / started.Elapsed.TotalSeconds:F0} resources/s, " +
            $"transactions of {EntriesPerSeedBundle} PUTs, {SeedClients} clients); server RSS {Stats.Mebibytes(server.RssBytes())}"));
    }

    private static byte[] SeedBundle(int first, int last)
    {
        var json = new StringBuilder(capacity: (last - first) * 800);
        json.Append("""{"resourceType":"Bundle","type":"transaction","entry":[""");
        for (int n = first; n < last; n++)
        {
            string id = Id(n);
            json.Append(n == first ? "" : ",")
                .Append("""{"resource":""")
                .Append(SyntheticPatient.Json(n, id))
                .Append(""","request":{"method":"PUT","url":"Patient/""").Append(id).Append("\"}}");
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
