using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace OpenHip.LoadDriver;

/// <summary>
/// `subscriptions` (issue #10's delivery target, p95 ≤ 5 s): a rest-hook Subscription on one Observation code, notified
/// to a real HTTP endpoint in this process while clients create Observations (one in ten matching) as fast as the server
/// takes them. Latency is from the create's 201 to the endpoint receiving its PUT.
/// </summary>
internal static class SubscriptionsScenario
{
    private const string Matching = "94500-6";

    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 16;
        int port = ServerProcess.FreePort();
        string hook = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/hook";
        using var listener = new HttpListener();
        listener.Prefixes.Add(hook + "/");
        listener.Start();
        var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        Task receiving = ReceiveAsync(listener, received, stop.Token);

        List<KeyValuePair<string, string>> settings = [.. options.Settings, new("Fhir:Subscriptions:AllowedEndpoints:0", hook)];
        await using ServerProcess server = await ServerProcess.StartAsync(serverAssembly, options.Keep, settings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient http = FhirHttp.Create(server.BaseUri, clients);
        string subscription = $$$"""{"resourceType":"Subscription","status":"requested","reason":"bench","criteria":"Observation?code=http://loinc.org|{{{Matching}}}","channel":{"type":"rest-hook","endpoint":"{{{hook}}}","payload":"application/fhir+json"}}""";
        using (HttpResponseMessage created = await http.PostAsync(new Uri("Subscription", UriKind.Relative), Json(subscription)).ConfigureAwait(false))
        {
            if (created.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Subscription: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }

        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long next = 0;
        async Task<bool> CreateAsync(int worker, CancellationToken ct)
        {
            bool matching = Interlocked.Increment(ref next) % 10 == 0;
            using HttpResponseMessage response = await http.PostAsync(new Uri("Observation", UriKind.Relative), Json(Observation(matching ? Matching : "8867-4")), ct).ConfigureAwait(false);
            if (matching && response.Headers.Location is { } location)
            {
                acknowledged[location.Segments[^3].TrimEnd('/')] = Stopwatch.GetTimestamp();
            }

            return response.StatusCode == HttpStatusCode.Created;
        }

        Console.WriteLine($"# subscriptions: {clients} clients creating Observations (1 in 10 matching the Subscription), {options.Seconds} s x {options.Repeat} windows after {options.Warmup} s warm-up");
        if (options.Warmup > 0)
        {
            await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Warmup), CreateAsync).ConfigureAwait(false);
        }

        for (int i = 0; i < options.Repeat; i++)
        {
            acknowledged.Clear();
            WindowResult window = await ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(options.Seconds), CreateAsync).ConfigureAwait(false);
            long settle = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            while (acknowledged.Keys.Any(id => !received.ContainsKey(id)) && Stopwatch.GetTimestamp() < settle)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            double[] delays = [.. acknowledged.Where(a => received.ContainsKey(a.Key)).Select(a => (received[a.Key] - a.Value) * 1000.0 / Stopwatch.Frequency).Order()];
            int missing = acknowledged.Count - delays.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"window {i + 1}: {window.Describe("creates")}; notifications {delays.Length} (missing {missing}) after the 201: p50 {Percentile(delays, 0.50):F0} ms, p95 {Percentile(delays, 0.95):F0} ms, p99 {Percentile(delays, 0.99):F0} ms, max {(delays.Length == 0 ? double.NaN : delays[^1]):F0} ms"));
        }

        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task ReceiveAsync(HttpListener listener, ConcurrentDictionary<string, long> received, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context = await listener.GetContextAsync().ConfigureAwait(false);
            long at = Stopwatch.GetTimestamp();
            string[] segments = context.Request.Url?.Segments ?? [];
            if (segments.Length >= 2)
            {
                received.TryAdd(segments[^1].TrimEnd('/'), at);
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/fhir+json");

    private static string Observation(string code) =>
        $$$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},"valueQuantity":{"value":1}}""";
}
