using System.Diagnostics;
using System.Globalization;

namespace OpenHip.LoadDriver;

/// <summary>What one measured window produced: counts, wall time, sorted latencies and the CPU both sides used.</summary>
internal sealed class WindowResult(long requests, long failures, TimeSpan elapsed, long[] sortedLatencyTicks, TimeSpan serverCpu, TimeSpan driverCpu)
{
    public long Requests { get; } = requests;

    public long Failures { get; } = failures;

    public TimeSpan Elapsed { get; } = elapsed;

    public TimeSpan ServerCpu { get; } = serverCpu;

    public TimeSpan DriverCpu { get; } = driverCpu;

    public double PerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>Latency at quantile <paramref name="q"/> (0..1) in milliseconds, nearest-rank.</summary>
    public double PercentileMs(double q)
    {
        if (sortedLatencyTicks.Length == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(q * sortedLatencyTicks.Length) - 1;
        return sortedLatencyTicks[Math.Clamp(rank, 0, sortedLatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public string Describe(string unit) => string.Create(
        CultureInfo.InvariantCulture,
        $"{PerSecond,9:F0} {unit}/s  p50 {PercentileMs(0.50),6:F2} ms  p90 {PercentileMs(0.90),6:F2} ms  p99 {PercentileMs(0.99),6:F2} ms  " +
        $"n={Requests} failed={Failures}  CPU server {ServerCpu.TotalSeconds / Elapsed.TotalSeconds:F2} cores " +
        $"({ServerCpu.TotalMilliseconds * 1000 / Math.Max(Requests, 1):F0} µs/req), driver {DriverCpu.TotalSeconds / Elapsed.TotalSeconds:F2} cores");
}
