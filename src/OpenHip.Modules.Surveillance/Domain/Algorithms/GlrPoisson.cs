using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Generalised likelihood ratio detector for a Poisson series with known in-control means μ₀ (Höhle and Paul 2008):
/// at step n, max over window starts k of κ̂·Σy − (e^κ̂ − 1)·Σμ₀ with κ̂ = max(0, log(Σy/Σμ₀)); an alarm when it
/// reaches c.ARL, after which the windows restart. The bound is the smallest whole count at n that would alarm.
/// </summary>
internal static class GlrPoisson
{
    public static DetectionResult Detect(CountSeries series, GlrPoissonOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MonitoredRange range = options.Range ?? new MonitoredRange(series.Frequency + 1, series.Length);
        range.Validate(series.Length, options.Mu0 is null ? 5 : 1, "glrnb");
        int length = range.Last - range.First + 1;
        double[] mu0 = options.Mu0 ?? SeasonalMean(series, range);
        if (mu0.Length != length)
        {
            throw new ArgumentException($"glrnb: mu0 has {mu0.Length} values but the range has {length} steps");
        }

        var result = new DetectionResult(series.Length);
        int start = 0;
        for (int n = 0; n < length; n++)
        {
            double[] y = series.Observed;
            int offset = range.First - 1;
            int first = options.M < 0 ? start : Math.Max(start, n - options.M + 1);
            double observed = y[offset + n];
            result.UpperBound[offset + n] = CasesNeeded(y, mu0, offset, first, n, options);
            bool alarm = Statistic(y, mu0, offset, first, n, observed, options.MTilde) >= options.CArl;
            result.Alarm[offset + n] = alarm;
            if (alarm)
            {
                start = n + 1;
            }
        }

        return result;
    }

    /// <summary>The GLR statistic at step n with the count at n replaced by <paramref name="yn"/>.</summary>
    private static double Statistic(double[] y, double[] mu0, int offset, int first, int n, double yn, int mTilde)
    {
        double best = 0;
        double sumY = yn;
        double sumMu = mu0[n];
        for (int k = n; k >= first; k--)
        {
            if (k < n)
            {
                sumY += y[offset + k];
                sumMu += mu0[k];
            }

            if (n - k + 1 < mTilde || sumY <= sumMu)
            {
                continue;
            }

            double kappa = Math.Log(sumY / sumMu);
            best = Math.Max(best, (kappa * sumY) - ((Math.Exp(kappa) - 1) * sumMu));
        }

        return best;
    }

    /// <summary>Smallest whole count at n with statistic ≥ c.ARL; the statistic grows with the count, so doubling then bisection.</summary>
    private static double CasesNeeded(double[] y, double[] mu0, int offset, int first, int n, GlrPoissonOptions options)
    {
        double high = Math.Max(1, Math.Ceiling(mu0[n]));
        while (Statistic(y, mu0, offset, first, n, high, options.MTilde) < options.CArl)
        {
            high *= 2;
        }

        double low = -1;
        while (high - low > 1)
        {
            double middle = Math.Floor((low + high) / 2);
            if (Statistic(y, mu0, offset, first, n, middle, options.MTilde) >= options.CArl)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    /// <summary>Poisson regression on the steps before the range: intercept plus one harmonic of period freq.</summary>
    private static double[] SeasonalMean(CountSeries series, MonitoredRange range)
    {
        int train = range.First - 1;
        var design = new double[train * 3];
        var y = new double[train];
        for (int i = 0; i < train; i++)
        {
            Harmonic(design.AsSpan(i * 3, 3), i + 1, series.Frequency);
            y[i] = series.Observed[i];
        }

        QuasiPoissonFit fit = QuasiPoissonGlm.Fit(design, 3, y, null);
        var mu = new double[range.Last - range.First + 1];
        Span<double> x = stackalloc double[3];
        for (int i = 0; i < mu.Length; i++)
        {
            Harmonic(x, range.First + i, series.Frequency);
            mu[i] = Math.Exp(fit.Predict(x).Eta);
        }

        return mu;
    }

    private static void Harmonic(Span<double> row, int t, int frequency)
    {
        row[0] = 1;
        row[1] = Math.Cos(2 * Math.PI * t / frequency);
        row[2] = Math.Sin(2 * Math.PI * t / frequency);
    }
}
