using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// ESSENCE-style daily detectors. Baseline: the <c>baseline</c> days ending <c>guard</c> days before the test day.
/// EWMA: S_t = ω·y_t + (1 − ω)·S_{t−1} (S starts at the first count) is tested against the baseline mean μ and
/// sd σ: alarm when (S_t − μ)/(σ·√(ω/(2 − ω))) exceeds t_{1−α, n−1}. Regression: y = b₀ + b₁·t + day-of-week
/// effects fitted to the baseline by least squares; alarm when y_t exceeds ŷ + t_{1−α, n−p}·s·√(1 + x₀ᵀ(XᵀX)⁻¹x₀).
/// Either bound is the count at which the alarm starts.
/// </summary>
internal static class Essence
{
    public static DetectionResult Detect(CountSeries series, EssenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int earliest = options.Baseline + options.Guard + 1;
        MonitoredRange range = MonitoredRange.Resolve(options.Range, series.Length, earliest, "essenceEwma");
        double[] y = series.Observed;
        var result = new DetectionResult(series.Length);
        double smoothed = y[0];
        for (int t0 = 1; t0 < range.Last; t0++)
        {
            double previous = smoothed;
            smoothed = (options.Omega * y[t0]) + ((1 - options.Omega) * smoothed);
            if (t0 < range.First - 1)
            {
                continue;
            }

            double upper = options.Method switch
            {
                EssenceMethod.Ewma => EwmaBound(y, t0, previous, options),
                EssenceMethod.Regression => Regression(series, t0, options).Upper,
                _ => Regression(series, t0, options) is { AdjustedR2: var r2, Upper: var u } && r2 >= options.SwitchR2 ? u : EwmaBound(y, t0, previous, options),
            };
            result.UpperBound[t0] = upper;
            result.Alarm[t0] = y[t0] > upper;
        }

        return result;
    }

    /// <summary>The y_t at which the EWMA statistic reaches the threshold, given S_{t−1}.</summary>
    internal static double EwmaBound(double[] y, int t0, double previousSmoothed, EssenceOptions options)
    {
        int end = t0 - options.Guard;
        (double mean, double sd) = EarsC.Baseline(y, end, options.Baseline);
        sd = Math.Max(sd, options.MinSigma);
        double critical = StudentT.InvCDF(0, 1, options.Baseline - 1, 1 - options.Alpha);
        double limit = mean + (critical * sd * Math.Sqrt(options.Omega / (2 - options.Omega)));
        return (limit - ((1 - options.Omega) * previousSmoothed)) / options.Omega;
    }

    internal static (double Upper, double AdjustedR2) Regression(CountSeries series, int t0, EssenceOptions options)
    {
        int n = options.Baseline;
        int p = options.RegressionParameters;
        int first = t0 - options.Guard - n;
        Matrix<double> x = Matrix<double>.Build.Dense(n, p);
        Vector<double> yv = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            Row(series, first + i, options, x, i);
            yv[i] = series.Observed[first + i];
        }

        // Normal equations through MathNet; a singular design (e.g. a day of week missing) is a caller error.
        Matrix<double> xtxInverse = (x.TransposeThisAndMultiply(x)).Inverse();
        Vector<double> beta = xtxInverse * x.TransposeThisAndMultiply(yv);
        Vector<double> residuals = yv - (x * beta);
        double rss = residuals.DotProduct(residuals);
        double mean = yv.Average();
        double tss = yv.Sum(v => (v - mean) * (v - mean));
        int df = n - p;
        double s = Math.Sqrt(Math.Max(rss / df, options.MinSigma * options.MinSigma));
        Matrix<double> x0 = Matrix<double>.Build.Dense(1, p);
        Row(series, t0, options, x0, 0);
        Vector<double> row = x0.Row(0);
        double leverage = row.DotProduct(xtxInverse * row);
        double critical = StudentT.InvCDF(0, 1, df, 1 - options.Alpha);
        double upper = row.DotProduct(beta) + (critical * s * Math.Sqrt(1 + leverage));
        double adjustedR2 = tss > 0 ? 1 - (rss / df / (tss / (n - 1))) : 0;
        return (upper, adjustedR2);
    }

    /// <summary>Design row: 1, t (1-based), then indicators for Tuesday..Sunday (Monday is the reference day).</summary>
    private static void Row(CountSeries series, int index, EssenceOptions options, Matrix<double> x, int row)
    {
        int column = 0;
        x[row, column++] = 1;
        if (options.Trend)
        {
            x[row, column++] = index + 1;
        }

        if (options.DayOfWeek)
        {
            int day = DayIndex(series, index);
            for (int d = 1; d <= 6; d++)
            {
                x[row, column++] = day == d ? 1 : 0;
            }
        }
    }

    /// <summary>0 = Monday .. 6 = Sunday; without dates the first step is taken as a Monday.</summary>
    private static int DayIndex(CountSeries series, int index) =>
        series.Dates is null ? index % 7 : ((int)series.Dates[index].DayOfWeek + 6) % 7;
}
