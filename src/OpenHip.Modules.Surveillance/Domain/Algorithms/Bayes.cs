using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Bayes detector: with a Jeffreys-type Gamma(½, 0) prior on a Poisson rate and n baseline counts summing to S,
/// the next count is negative binomial with size S + ½ and probability n/(n + 1); the bound is its (1 − α) quantile.
/// </summary>
internal static class Bayes
{
    public static DetectionResult Detect(CountSeries series, BayesOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int earliest = Math.Max(options.W, (options.B * series.Frequency) + options.W) + 1;
        MonitoredRange range = MonitoredRange.Resolve(options.Range, series.Length, earliest, "bayes");
        var result = new DetectionResult(series.Length);
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            List<double> baseline = RkiBaseline.Collect(series, t0, options.B, options.W, options.ActualYear);
            double sum = baseline.Sum();
            double n = baseline.Count;
            double upper = DiscreteQuantiles.NegativeBinomial(1 - options.Alpha, sum + 0.5, n / (n + 1));
            result.UpperBound[t0] = upper;
            result.Alarm[t0] = series.Observed[t0] > upper;
        }

        return result;
    }
}
