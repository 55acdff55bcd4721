using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenHip.LoadDriver;

/// <summary>
/// `secure-mix` (issue #8's target): one read/create mix (90/10 unless `--writes` says otherwise) against two servers in the same run — one with
/// `--no-auth`, one with auth, access policy and consent on — windows alternating so both see the same machine. The
/// secured server is called with a Backend Services token (`system/*.cruds`, client_secret_basic) and holds opt-out
/// Consents for 1% of its residents, so every read and write carries the compiled policy and its consent restriction.
/// </summary>
internal static class SecureMixScenario
{
    private const string ClientId = "bench-load";
    private const string Source = "urn:openhip:bench";

    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 16;
        List<KeyValuePair<string, string>> securedSettings = [.. options.Settings, new("Security:Auth:AccessTokenLifetime", "01:00:00")];
        var cleanup = new List<string>();
        try
        {
            string baselineAssembly = options.BaselineServer ?? serverAssembly;
            async Task<(string Name, ServerProcess Server, string? Token)> StartBaselineAsync()
            {
                if (options.Baseline == SecureMixBaseline.AuditOff)
                {
                    (ServerProcess server, string token) = await StartSecuredAsync(options, baselineAssembly, [.. securedSettings, new("Security:Audit:Enabled", "false")], cleanup).ConfigureAwait(false);
                    return ("audit off", server, token);
                }

                if (options.Baseline == SecureMixBaseline.AuditOn)
                {
                    (ServerProcess server, string token) = await StartSecuredAsync(options, baselineAssembly, securedSettings, cleanup).ConfigureAwait(false);
                    return ("baseline", server, token);
                }

                return ("auth off", await ServerProcess.StartAsync(baselineAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false), null);
            }

            async Task<(string Name, ServerProcess Server, string? Token)> StartOtherAsync()
            {
                (ServerProcess secured, string securedToken) = await StartSecuredAsync(options, serverAssembly, securedSettings, cleanup).ConfigureAwait(false);
                return (options.Baseline == SecureMixBaseline.NoAuth ? "auth on" : "audit on", secured, securedToken);
            }

            // The baseline goes first unless --baseline-second: the order of start, seeding and load is the position.
            (string Name, ServerProcess Server, string? Token) started = options.BaselineSecond ? await StartOtherAsync().ConfigureAwait(false) : await StartBaselineAsync().ConfigureAwait(false);
            await using ServerProcess first = started.Server;
            (string Name, ServerProcess Server, string? Token) next = options.BaselineSecond ? await StartBaselineAsync().ConfigureAwait(false) : await StartOtherAsync().ConfigureAwait(false);
            await using ServerProcess second = next.Server;
            await CompareAsync(options, options.BaselineSecond ? [next, started] : [started, next], clients, options.Resources).ConfigureAwait(false);
        }
        finally
        {
            if (!options.Keep)
            {
                cleanup.ForEach(d =>
                {
                    Directory.Delete(d, recursive: true);
                    File.Delete(d + ".audit-witness.jsonl");
                });
            }
        }
    }

    private static async Task<(ServerProcess Server, string Token)> StartSecuredAsync(
        DriverOptions options, string serverAssembly, List<KeyValuePair<string, string>> settings, List<string> cleanup)
    {
        string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        string data = Path.Combine(Path.GetTempPath(), "openhip-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        cleanup.Add(data);
        await RegisterClientAsync(serverAssembly, data, secret).ConfigureAwait(false);
        ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, settings, data, CancellationToken.None, auth: true).ConfigureAwait(false);
        return (server, await TokenAsync(server.BaseUri, secret).ConfigureAwait(false));
    }

    private static async Task CompareAsync(DriverOptions options, (string Name, ServerProcess Server, string? Token)[] servers, int clients, int residents)
    {
        var sides = new List<(string Name, HttpClient Http, ServerProcess Server)>();
        try
        {
            foreach ((string name, ServerProcess server, string? token) in servers)
            {
                HttpClient http = FhirHttp.Create(server.BaseUri, clients);
                if (token is not null)
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                sides.Add((name, http, server));
            }

            foreach ((_, HttpClient http, ServerProcess server) in options.BaselineSecond ? Enumerable.Reverse(sides) : sides)
            {
                await ReadsScenario.SeedAsync(http, server, residents).ConfigureAwait(false);
                await OptOutAsync(http, residents).ConfigureAwait(false);
            }

            // Seeding leaves each server linking and screening its new residents in the background; measuring one while
            // it still catches up (and the other has finished) would charge that work to the wrong side.
            foreach ((_, _, ServerProcess server) in sides)
            {
                await server.WaitIdleAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            }

            if (options.Together)
            {
                await SecureMixTogether.CompareAsync(options, sides, clients, residents).ConfigureAwait(false);
                return;
            }

            Console.WriteLine($"# secure-mix: {clients} clients, {100 - options.WritePercent}% reads of Patient/id, {options.WritePercent}% Observation creates, {residents} residents, {options.Seconds} s x {options.Repeat} windows per server after {options.Warmup} s warm-up each");
            var results = sides.ToDictionary(s => s.Name, _ => new List<(WindowResult All, double ReadP99)>());
            if (options.Warmup > 0)
            {
                foreach ((_, HttpClient http, ServerProcess server) in sides)
                {
                    await WindowAsync(server, http, clients, options.Warmup, residents, options.WritePercent).ConfigureAwait(false);
                }
            }

            for (int i = 0; i < options.Repeat; i++)
            {
                foreach ((string name, HttpClient http, ServerProcess server) in sides)
                {
                    (WindowResult window, double readP99) = await WindowAsync(server, http, clients, options.Seconds, residents, options.WritePercent).ConfigureAwait(false);
                    results[name].Add((window, readP99));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window {i + 1} {name,-9}: {window.Describe("requests")}  reads p99 {readP99:F2} ms"));
                }
            }

            (string off, string on) = (sides[0].Name, sides[1].Name);
            double offRate = Stats.Median(results[off].Select(r => r.All.PerSecond));
            double onRate = Stats.Median(results[on].Select(r => r.All.PerSecond));
            double offP99 = Stats.Median(results[off].Select(r => r.ReadP99));
            double onP99 = Stats.Median(results[on].Select(r => r.ReadP99));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median: {off} {offRate:F0} requests/s, reads p99 {offP99:F2} ms; {on} {onRate:F0} requests/s, reads p99 {onP99:F2} ms; " +
                $"throughput ratio on/off {onRate / offRate:F3}; reads p99 +{onP99 - offP99:F2} ms"));

            // Each window against the one just before it: other tenants' load drifts over a run, and a pair shares most of it.
            double[] paired = [.. results[on].Zip(results[off], (o, b) => o.All.PerSecond / b.All.PerSecond)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"paired ratios on/off: {string.Join(" · ", paired.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}; median {Stats.Median(paired):F3}"));
        }
        finally
        {
            sides.ForEach(s => s.Http.Dispose());
        }
    }

    internal static async Task<(WindowResult Window, double ReadP99)> WindowAsync(ServerProcess server, HttpClient http, int clients, int seconds, int residents, int writePercent)
    {
        var reads = new ConcurrentBag<long>();
        WindowResult window = await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(seconds), async (worker, ct) =>
        {
            int n = Random.Shared.Next(residents);
            if (Random.Shared.Next(100) < writePercent)
            {
                using var content = new StringContent(Observation(n), Encoding.UTF8, "application/fhir+json");
                using HttpResponseMessage created = await http.PostAsync(new Uri("Observation", UriKind.Relative), content, ct).ConfigureAwait(false);
                return created.StatusCode == HttpStatusCode.Created;
            }

            long sent = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await http.GetAsync(new Uri($"Patient/{ReadsScenario.Id(n)}", UriKind.Relative), ct).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            reads.Add(Stopwatch.GetTimestamp() - sent);

            // Opted-out residents were written by this same client, so consent never hides them from it: every read is a 200.
            return response.StatusCode == HttpStatusCode.OK;
        }).ConfigureAwait(false);
        long[] sorted = [.. reads.Order()];
        double p99 = sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
        return (window, p99);
    }

    private static string Observation(int n) =>
        $$$"""{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/{{{ReadsScenario.Id(n)}}}"},"valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}""";

    /// <summary>1% of residents opt out of sharing with other institutions (IHE PCF basic).</summary>
    private static async Task OptOutAsync(HttpClient http, int residents)
    {
        for (int n = 0; n < residents; n += 100)
        {
            string consent = $$$"""{"resourceType":"Consent","status":"active","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},"category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"patient":{"reference":"Patient/{{{ReadsScenario.Id(n)}}}"},"provision":{"type":"deny"}}""";
            using var content = new StringContent(consent, Encoding.UTF8, "application/fhir+json");
            using HttpResponseMessage response = await http.PostAsync(new Uri("Consent", UriKind.Relative), content).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Consent for resident {n}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }
    }

    private static async Task RegisterClientAsync(string serverAssembly, string dataDirectory, string secret)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dataDirectory };
        foreach (string arg in (string[])[serverAssembly, "auth", "client", "add", ClientId, "--secret", secret, "--grant", "client_credentials", "--scope", "system/*.cruds", "--source", Source, "--data-dir", dataDirectory])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        string output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false) + await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openhip auth client add failed ({process.ExitCode}): {output}");
        }
    }

    private static async Task<string> TokenAsync(Uri fhirBase, string secret)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fhirBase, "/auth/token"))
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "system/*.cruds")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{secret}")));
        using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!["access_token"]!.GetValue<string>()
            : throw new InvalidOperationException($"token request failed: {(int)response.StatusCode} {body}");
    }
}
