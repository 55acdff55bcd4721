using System.Globalization;

namespace OpenHip.LoadDriver;

/// <summary>The closing lines of a request scenario: medians over its windows and the server's peak memory.</summary>
internal static class Report
{
    public static void Summary(string unit, IReadOnlyList<WindowResult> windows, ServerProcess server)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT {unit}: median of {windows.Count}: {Stats.Median(windows.Select(w => w.PerSecond)):F0} {unit}/s, " +
            $"p50 {Stats.Median(windows.Select(w => w.PercentileMs(0.50))):F2} ms, p90 {Stats.Median(windows.Select(w => w.PercentileMs(0.90))):F2} ms, " +
            $"p99 {Stats.Median(windows.Select(w => w.PercentileMs(0.99))):F2} ms, failures {windows.Sum(w => w.Failures)}, " +
            $"server CPU {Stats.Median(windows.Select(w => w.ServerCpu.TotalMilliseconds * 1000 / Math.Max(w.Requests, 1))):F0} µs/req, " +
            $"peak server RSS {Stats.Mebibytes(server.PeakRssBytes())}"));
    }
}
