using System.Globalization;

namespace OpenHip.LoadDriver;

/// <summary>
/// `secure-mix --together`: both servers under load at the same time, each with its own clients, so that every window
/// sees the same host. Alternating windows compare moments minutes apart, and on a shared machine the CPU a request
/// costs drifts by a fifth within minutes; measured side by side, the drift is the same for both.
/// </summary>
/// <remarks>
/// The two servers' throughputs then depend on how the scheduler shares the cores between them, so the comparison is by
/// CPU: each server's CPU per request, and the driver's (one process for both, its work per request the same). On a
/// machine the load saturates, throughput is the cores over the CPU a request costs there, server and driver together,
/// so <c>(off + driver) / (on + driver)</c> is the throughput ratio alternating windows estimate; <c>off / on</c> is the
/// ratio a server would see with the driver elsewhere. That holds only while both servers run at about the same rate:
/// of two identical servers, the one given ~30 % more requests a second spent ~6 % more CPU on each.
/// </remarks>
internal static class SecureMixTogether
{
    private const double MaxRateRatio = 1.1;

    public static async Task CompareAsync(
        DriverOptions options, IReadOnlyList<(string Name, HttpClient Http, ServerProcess Server)> sides, int clients, int residents)
    {
        (string Name, HttpClient Http, ServerProcess Server) off = sides[0];
        (string Name, HttpClient Http, ServerProcess Server) on = sides[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# together: both servers loaded at once, {clients} clients each, {options.Seconds} s x {options.Repeat} windows after {options.Warmup} s warm-up{(options.BaselineSecond ? $"; {off.Name} started, seeded and loaded second" : string.Empty)}"));

        async Task<(WindowResult Window, double ReadP99)[]> BothAsync(int seconds)
        {
            Task<(WindowResult Window, double ReadP99)> Load((string Name, HttpClient Http, ServerProcess Server) side) =>
                SecureMixScenario.WindowAsync(side.Server, side.Http, clients, seconds, residents, options.WritePercent);
            if (options.BaselineSecond)
            {
                (WindowResult Window, double ReadP99)[] reversed = await Task.WhenAll(Load(on), Load(off)).ConfigureAwait(false);
                return [reversed[1], reversed[0]];
            }

            return await Task.WhenAll(Load(off), Load(on)).ConfigureAwait(false);
        }

        if (options.Warmup > 0)
        {
            await BothAsync(options.Warmup).ConfigureAwait(false);
        }

        var server = new List<double>();
        var capacity = new List<double>();
        for (int i = 0; i < options.Repeat; i++)
        {
            (WindowResult Window, double ReadP99)[] both = await BothAsync(options.Seconds).ConfigureAwait(false);
            (WindowResult a, WindowResult b) = (both[0].Window, both[1].Window);
            double offCost = PerRequest(a.ServerCpu, a.Requests);
            double onCost = PerRequest(b.ServerCpu, b.Requests);

            // Both windows measured the one driver process over the same seconds.
            double driverCost = PerRequest((a.DriverCpu + b.DriverCpu) / 2, a.Requests + b.Requests);
            server.Add(offCost / onCost);
            capacity.Add((offCost + driverCost) / (onCost + driverCost));
            double rates = a.PerSecond / b.PerSecond;
            string uneven = rates is < 1 / MaxRateRatio or > MaxRateRatio ? " (rates differ: CPU per request not comparable)" : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"window {i + 1}: {off.Name} {a.PerSecond:F0}/s {offCost:F1} µs/req; {on.Name} {b.PerSecond:F0}/s {onCost:F1} µs/req; " +
                $"driver {driverCost:F1} µs/req; server ratio {server[^1]:F3}; throughput ratio {capacity[^1]:F3}{uneven}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: server CPU ratio {off.Name}/{on.Name} {Stats.Median(server):F3}; throughput ratio with the driver's CPU {Stats.Median(capacity):F3} " +
            $"(windows: {string.Join(" · ", capacity.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))})"));
    }

    private static double PerRequest(TimeSpan cpu, long requests) => cpu.TotalMilliseconds * 1000 / Math.Max(requests, 1);
}
