using MathNet.Numerics.Distributions;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The original Farrington et al. (1996) algorithm as R's <c>surveillance::farrington</c>: windows of ±w weeks in
/// the b previous years, quasi-Poisson with a trend kept only if significant at 5 %, reweighting of residuals above
/// 1, and a two-sided (1 − α) bound on the 2/3-power scale. When the 5-in-4 rule blocks, the bound is 0 with no alarm.
/// </summary>
internal static class Farrington
{
    private const double TrendLevel = 0.05;
    private const double ReweightThreshold = 1;

    public static DetectionResult Detect(CountSeries series, FarringtonOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int earliest = (series.Frequency * options.B) + options.W + 1;
        MonitoredRange range = options.Range ?? new MonitoredRange(earliest, series.Length);
        range.Validate(series.Length, series.Dates is null ? earliest : 1, "farrington");
        double z = Normal.InvCDF(0, 1, 1 - (options.Alpha / 2));
        var result = new DetectionResult(series.Length);
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            if (RecentCases(series.Observed, t0, options.Limit54Steps) < options.Limit54Cases)
            {
                result.UpperBound[t0] = 0;
                result.Alarm[t0] = false;
                continue;
            }

            List<(int Index, int Level)> rows = ReferenceWeeks.Build(series, t0, options.B, options.W, 1, 0);
            double[] y = rows.Select(r => series.Observed[r.Index]).ToArray();
            int[] time = rows.Select(r => r.Index + 1).ToArray();
            int[] level = new int[rows.Count];
            FarringtonModel model = FitWithTrendTest(options, y, time, level, t0 + 1);
            // The original uses predict.glm's response-scale error, se.fit = μ·se(η̂), in τ = φ + se.fit²/μ,
            // with se(η̂) scaled by the clamped φ: on the reference steps whose dispersion is below 1 R's τ is
            // exactly 1 + 1/n, which the unclamped dispersion misses in the fourth digit.
            (double eta, double seEta) = model.PredictAt(t0 + 1, model.Phi);
            double mu = Math.Exp(eta);
            double se = mu * seEta;
            double upper = FarringtonFlexible.DeltaBound(mu, se, model.Phi, z, series.Observed[t0], options.PowerTransform).Upper;
            result.UpperBound[t0] = upper;
            result.Alarm[t0] = series.Observed[t0] > upper;
        }

        return result;
    }

    private static FarringtonModel FitWithTrendTest(FarringtonOptions options, double[] y, int[] time, int[] level, int t0)
    {
        if (options.Trend)
        {
            FarringtonModel withTrend = FarringtonModel.Create(y, time, level, 1, trend: true, options.Reweight, ReweightThreshold);
            double fitted = Math.Exp(withTrend.PredictAt(t0, withTrend.Fit.Dispersion).Eta);
            if (withTrend.TrendPValue(withTrend.Fit.Dispersion) < TrendLevel && options.B >= 3 && fitted <= y.Max())
            {
                return withTrend;
            }
        }

        return FarringtonModel.Create(y, time, level, 1, trend: false, options.Reweight, ReweightThreshold);
    }

    internal static double RecentCases(double[] observed, int t0, int steps)
    {
        double sum = 0;
        for (int i = Math.Max(0, t0 - steps + 1); i <= t0; i++)
        {
            sum += observed[i];
        }

        return sum;
    }
}
