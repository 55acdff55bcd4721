using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OpenHip.LoadDriver;

/// <summary>
/// `match`: seeds N Patients (as `reads` does), then <c>POST Patient/$match</c> with the demographics of a random seeded
/// Patient (identifiers, name, birth date, phone, address; no id), closed loop. The first call loads the MPI's index
/// from the store and fits its model; it is timed and reported apart. Linking is off (`Modules:Mpi:LinkOnWrite=false`)
/// unless the caller sets it, so the windows measure matching alone.
/// </summary>
internal static class MatchScenario
{
    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 16;
        List<KeyValuePair<string, string>> settings = [.. options.Settings];
        if (!settings.Any(s => s.Key == "Modules:Mpi:LinkOnWrite"))
        {
            settings.Add(new("Modules:Mpi:LinkOnWrite", "false"));
        }

        // A given data directory that already holds a store is reused as seeded: seeding 1,000,000 Patients takes
        // a quarter of an hour, the measurement a minute.
        bool seeded = options.DataDirectory is { } dir && File.Exists(Path.Combine(dir, "openhip.db"));
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, settings, options.DataDirectory, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, Math.Max(clients, 2));

        // The first call waits for the index of the whole population (loaded in the background from start-up).
        using HttpClient patient = FhirHttp.Create(server.BaseUri, 1);
        patient.Timeout = TimeSpan.FromMinutes(30);
        if (seeded)
        {
            Console.WriteLine($"reusing {options.DataDirectory} as seeded with {options.Resources} Patients");
        }
        else
        {
            await ReadsScenario.SeedAsync(http, server, options.Resources).ConfigureAwait(false);
        }

        long answered = 0;
        long found = 0;
        async Task<bool> MatchAsync(int worker, CancellationToken ct) => await MatchOnAsync(http, ct).ConfigureAwait(false);

        async Task<bool> MatchOnAsync(HttpClient client, CancellationToken ct)
        {
            int n = Random.Shared.Next(options.Resources);
            string body = $$"""{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{{SyntheticPatient.Json(n)}}},{"name":"count","valueInteger":5}]}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
            using HttpResponseMessage response = await client.PostAsync(new Uri("Patient/$match", UriKind.Relative), content, ct).ConfigureAwait(false);
            string answer = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);

            // These synthetic Patients repeat their phone, SSN and address every 10,000, so near-twins can outrank the
            // Patient itself in the top 5: counted apart, not as failures (the windows time the operation).
            Interlocked.Increment(ref answered);
            if (answer.Contains(ReadsScenario.Id(n), StringComparison.Ordinal))
            {
                Interlocked.Increment(ref found);
            }

            return response.StatusCode == HttpStatusCode.OK;
        }

        var first = Stopwatch.StartNew();
        bool firstOk = await MatchOnAsync(patient, CancellationToken.None).ConfigureAwait(false) && found == 1;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"first $match (waits for the index of {options.Resources} Patients, loaded and fitted from start-up): {first.Elapsed.TotalSeconds:F1} s, {(firstOk ? "found" : "NOT found")}; server RSS {Stats.Mebibytes(server.RssBytes())}"));
        Console.WriteLine($"# match: {clients} clients, {options.Seconds} s x {options.Repeat} windows after {options.Warmup} s warm-up, {options.Resources} Patients");
        if (options.Warmup > 0)
        {
            await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Warmup), MatchAsync).ConfigureAwait(false);
        }

        List<WindowResult> windows = [];
        for (int i = 0; i < options.Repeat; i++)
        {
            WindowResult window = await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Seconds), MatchAsync).ConfigureAwait(false);
            windows.Add(window);
            Console.WriteLine($"window {i + 1}: {window.Describe("matches")}");
        }

        Report.Summary("matches", windows, server);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the seeded Patient was among the 5 answers in {100.0 * Interlocked.Read(ref found) / Math.Max(1, Interlocked.Read(ref answered)):F1} % of calls"));
    }
}
