using MathNet.Numerics.Distributions;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// EARS C1, C2 and C3 (Hutwagner et al. 2003), with the constants of R's <c>surveillance::earsC</c>
/// (z = qnorm(1 − alpha) rather than CDC's rounded 3 and 2).
/// </summary>
internal static class EarsC
{
    public static DetectionResult Detect(CountSeries series, EarsOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MonitoredRange range = MonitoredRange.Resolve(options.Range, series.Length, options.EarliestStep, "earsC");

        double[] y = series.Observed;
        double z = Normal.InvCDF(0, 1, 1 - options.EffectiveAlpha);
        var result = new DetectionResult(series.Length);
        for (int t = range.First - 1; t < range.Last; t++)
        {
            double upper = options.Method switch
            {
                EarsMethod.C3 when options.C3Mode == C3Mode.Cdc => CdcC3Bound(y, t, options),
                EarsMethod.C3 => RC3Bound(y, t, z, options),
                _ => C1C2Bound(y, t, z, options),
            };
            result.UpperBound[t] = upper;
            result.Alarm[t] = double.IsNaN(upper) ? null : y[t] > upper;
            if (options.Method == EarsMethod.C3 && options.C3Mode == C3Mode.Cdc && !double.IsNaN(upper))
            {
                result.Alarm[t] = CdcC3Sum(y, t, options) > options.CdcThreshold;
            }
        }

        return result;
    }

    private static double C1C2Bound(double[] y, int t, double z, EarsOptions options)
    {
        (double mean, double sd) = Baseline(y, t - options.Lag, options.Baseline);
        return mean + (z * Math.Max(sd, options.MinSigma));
    }

    /// <summary>
    /// R's C3: the bound is y_t + sd_t·(z − lagged terms), so y_t exceeds it exactly when the two lagged terms
    /// exceed z. NaN (0/0 in a lagged C2) propagates to an NA bound as in R; infinities follow IEEE arithmetic.
    /// </summary>
    private static double RC3Bound(double[] y, int t, double z, EarsOptions options)
    {
        double lagged = LaggedTerms(y, t, options);
        double sd = Math.Max(Baseline(y, t - 2, options.Baseline).Sd, options.MinSigma);
        return RMax0(y[t] + (sd * (z - lagged)));
    }

    /// <summary>
    /// CDC's C3 alarms when the three terms add up to more than the threshold. The bound reported is the count at
    /// which the current step's term would close the remaining gap; when the lagged terms alone exceed the threshold
    /// the alarm fires whatever the current count, which the bound cannot express.
    /// </summary>
    private static double CdcC3Bound(double[] y, int t, EarsOptions options)
    {
        double lagged = LaggedTerms(y, t, options);
        (double mean, double sd) = Baseline(y, t - 2, options.Baseline);
        sd = Math.Max(sd, options.MinSigma);
        return RMax0(mean + (sd * (1 + Math.Max(0, options.CdcThreshold - lagged))));
    }

    private static double CdcC3Sum(double[] y, int t, EarsOptions options) =>
        LaggedTerms(y, t, options) + Math.Max(0, C2(y, t, options) - 1);

    private static double LaggedTerms(double[] y, int t, EarsOptions options) =>
        RMax0(C2(y, t - 2, options) - 1) + RMax0(C2(y, t - 1, options) - 1);

    private static double C2(double[] y, int s, EarsOptions options)
    {
        (double mean, double sd) = Baseline(y, s - 2, options.Baseline);
        return (y[s] - mean) / Math.Max(sd, options.MinSigma);
    }

    /// <summary>R's max(0, x): NaN stays NaN (Math.Max does the same; named to make the intent visible).</summary>
    private static double RMax0(double x) => double.IsNaN(x) ? double.NaN : Math.Max(0, x);

    /// <summary>Mean and sample standard deviation (n − 1) of the <paramref name="length"/> steps before <paramref name="end"/>.</summary>
    internal static (double Mean, double Sd) Baseline(double[] y, int end, int length)
    {
        double sum = 0;
        for (int i = end - length; i < end; i++)
        {
            sum += y[i];
        }

        double mean = sum / length;
        double squares = 0;
        for (int i = end - length; i < end; i++)
        {
            double d = y[i] - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / (length - 1)));
    }
}
