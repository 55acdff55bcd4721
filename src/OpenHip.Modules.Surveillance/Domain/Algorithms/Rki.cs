using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The RKI detector: the mean of the baseline (<see cref="RkiBaseline"/>); above 20 the bound is mean + 2·sd,
/// otherwise the Crow–Gardner 95 % upper limit for a count of ⌊mean⌋ (<see cref="CrowGardnerLimits"/>), as in R's
/// <c>rki</c>.
/// </summary>
internal static class Rki
{
    private const double NormalFrom = 20;

    public static DetectionResult Detect(CountSeries series, RkiOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int earliest = Math.Max(options.W, (options.B * series.Frequency) + options.W) + 1;
        MonitoredRange range = MonitoredRange.Resolve(options.Range, series.Length, earliest, "rki");
        var result = new DetectionResult(series.Length);
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            List<double> baseline = RkiBaseline.Collect(series, t0, options.B, options.W, options.ActualYear);
            double mean = baseline.Average();
            double upper = mean > NormalFrom
                ? mean + (2 * StandardDeviation(baseline, mean))
                : CrowGardnerLimits.Upper((int)Math.Floor(mean));
            result.UpperBound[t0] = upper;
            result.Alarm[t0] = series.Observed[t0] > upper;
        }

        return result;
    }

    private static double StandardDeviation(List<double> values, double mean) =>
        Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
}
