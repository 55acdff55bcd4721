using System.Globalization;
using System.Security.Cryptography;

namespace OpenHip.LoadDriver;

/// <summary>
/// `encrypted-creates` (issue #9's "field encryption costs at most 5% on writes"): single Patient POSTs carrying a
/// resident ID and a passport number against two servers in the same run — one plain, one with a key-encryption key
/// configured (so those two values are stored SM4-GCM encrypted and indexed by blind index) — windows alternating so
/// both see the same machine (each from idle, its background work drained after it and charged to it). Both servers
/// get the same kind of Patients; only the server's setting differs.
/// </summary>
internal static class EncryptedCreatesScenario
{
    /// <summary>One sequence across both servers: each Patient number is sent once, to one of them.</summary>
    private static long _next;

    private static readonly TimeSpan IdleDeadline = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(DriverOptions options, string serverAssembly)
    {
        int clients = options.Clients ?? 32;
        List<KeyValuePair<string, string>> encryptedSettings =
            [.. options.Settings, new("Security:FieldEncryption:Kek", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))];
        await using ServerProcess plain = await ServerProcess.StartAsync(serverAssembly, options.Keep, options.Settings, null, CancellationToken.None).ConfigureAwait(false);
        await using ServerProcess encrypted = await ServerProcess.StartAsync(serverAssembly, options.Keep, encryptedSettings, null, CancellationToken.None).ConfigureAwait(false);
        using HttpClient plainHttp = FhirHttp.Create(plain.BaseUri, clients);
        using HttpClient encryptedHttp = FhirHttp.Create(encrypted.BaseUri, clients);
        (string Name, HttpClient Http, ServerProcess Server)[] sides = [("plain", plainHttp, plain), ("encrypted", encryptedHttp, encrypted)];

        Console.WriteLine($"# encrypted-creates: {clients} clients, Patients with resident ID + passport, {options.Seconds} s x {options.Repeat} windows per server after {options.Warmup} s warm-up each, Prefer {options.Prefer ?? "(none: representation)"}");
        if (options.Warmup > 0)
        {
            foreach ((_, HttpClient http, ServerProcess server) in sides)
            {
                await WindowAsync(options, server, http, clients, options.Warmup).ConfigureAwait(false);
                await server.WaitIdleAsync(IdleDeadline).ConfigureAwait(false);
            }
        }

        var results = new Dictionary<string, List<(WindowResult Window, double CpuPerCreate)>> { ["plain"] = [], ["encrypted"] = [] };
        for (int i = 0; i < options.Repeat; i++)
        {
            // The order alternates too, so whatever a window leaves behind on the machine falls on both sides alike.
            foreach ((string name, HttpClient http, ServerProcess server) in i % 2 == 0 ? sides : sides.Reverse())
            {
                // Each window starts with both servers idle, so neither one's MPI linking of earlier creates runs during
                // the other's window; the CPU it spends catching up on its own creates afterwards is charged to them.
                TimeSpan cpuBefore = server.CpuTime();
                WindowResult window = await WindowAsync(options, server, http, clients, options.Seconds).ConfigureAwait(false);
                await server.WaitIdleAsync(IdleDeadline).ConfigureAwait(false);
                double cpuPerCreate = (server.CpuTime() - cpuBefore).TotalMilliseconds * 1000 / Math.Max(window.Requests, 1);
                results[name].Add((window, cpuPerCreate));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window {i + 1} {name,-9}: {window.Describe("creates")}; with background work {cpuPerCreate:F0} µs CPU/create"));
            }
        }

        double plainRate = Stats.Median(results["plain"].Select(r => r.Window.PerSecond));
        double encryptedRate = Stats.Median(results["encrypted"].Select(r => r.Window.PerSecond));
        double plainCpu = Stats.Median(results["plain"].Select(r => r.CpuPerCreate));
        double encryptedCpu = Stats.Median(results["encrypted"].Select(r => r.CpuPerCreate));
        double plainP99 = Stats.Median(results["plain"].Select(r => r.Window.PercentileMs(0.99)));
        double encryptedP99 = Stats.Median(results["encrypted"].Select(r => r.Window.PercentileMs(0.99)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT encrypted-creates: median plain {plainRate:F0} creates/s, {plainCpu:F0} µs CPU/create, p99 {plainP99:F2} ms; " +
            $"encrypted {encryptedRate:F0} creates/s, {encryptedCpu:F0} µs CPU/create, p99 {encryptedP99:F2} ms; " +
            $"throughput ratio encrypted/plain {encryptedRate / plainRate:F3}; server CPU per create {(encryptedCpu / plainCpu - 1) * 100:+0.0;-0.0}%; " +
            $"failures {results.Values.Sum(r => r.Sum(w => w.Window.Failures))}"));
    }

    private static Task<WindowResult> WindowAsync(DriverOptions options, ServerProcess server, HttpClient http, int clients, int seconds) =>
        ClosedLoop.RunAsync(server, clients, TimeSpan.FromSeconds(seconds), (worker, ct) =>
            PatientCreate.SendAsync(http, Interlocked.Increment(ref _next), options.Prefer, nationalIds: true, ct));
}
