using MathNet.Numerics.Distributions;
using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The improved Farrington algorithm (Noufaily et al. 2013) as R's <c>surveillance::farringtonFlexible</c> computes
/// it, with both threshold methods and its diagnostics.
/// </summary>
internal static class FarringtonFlexible
{
    public static DetectionResult Detect(CountSeries series, FarringtonFlexibleOptions options) =>
        Detect(series, options, out _);

    public static DetectionResult Detect(CountSeries series, FarringtonFlexibleOptions options, out FarringtonDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int earliest = (series.Frequency * options.B) + options.W + 1;
        MonitoredRange range = options.Range ?? new MonitoredRange(earliest, series.Length);
        range.Validate(series.Length, series.Dates is null ? earliest : 1, "farringtonFlexible");

        var result = new DetectionResult(series.Length);
        diagnostics = new FarringtonDiagnostics(series.Length);
        double z = Normal.InvCDF(0, 1, 1 - options.Alpha);
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            EvaluateStep(series, options, t0, z, result, diagnostics);
        }

        return result;
    }

    private static void EvaluateStep(CountSeries series, FarringtonFlexibleOptions options, int t0, double z, DetectionResult result, FarringtonDiagnostics diagnostics)
    {
        double[] observed = series.Observed;
        List<(int Index, int Level)> rows = ReferenceWeeks.Build(series, t0, options.B, options.W, options.NoPeriods, options.EffectivePastWeeksNotIncluded);
        var y = new double[rows.Count];
        var time = new int[rows.Count];
        var level = new int[rows.Count];
        double maxBaseline = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            y[i] = observed[rows[i].Index];
            time[i] = rows[i].Index + 1;
            level[i] = rows[i].Level;
            maxBaseline = Math.Max(maxBaseline, y[i]);
        }

        bool enoughRecentCases = Farrington.RecentCases(observed, t0, options.Limit54Steps) >= options.Limit54Cases;
        FarringtonModel? model = FitSparse(options, ref y, ref time, ref level, t0 + 1, maxBaseline);
        if (model is null)
        {
            // No case in the windows of the same time of year: the fitted mean there tends to 0 (R's glm ends with
            // "fitted rates numerically 0"), so the bound is 0 and any count alarms once the 5-in-4 rule allows.
            double now = observed[t0];
            diagnostics.Expected[t0] = enoughRecentCases ? 0 : double.NaN;
            diagnostics.Score[t0] = now > 0 ? double.PositiveInfinity : double.NaN;
            diagnostics.PValue[t0] = now > 0 ? 0 : 1;
            diagnostics.Phi[t0] = 1;
            diagnostics.Mu0[t0] = 0;
            diagnostics.TrendCoefficient[t0] = double.NaN;
            result.UpperBound[t0] = enoughRecentCases ? 0 : double.NaN;
            result.Alarm[t0] = enoughRecentCases && now != 0;
            return;
        }

        (double eta, double seEta) = model.PredictAt(t0 + 1, model.Fit.PriorWeightedDispersion);
        double mu = Math.Exp(eta);
        double phi = model.Phi;
        double yt = observed[t0];
        double upper;
        double pValue;
        double mu0;
        double scoreCentre;
        if (options.ThresholdMethod == FarringtonThresholdMethod.NbPlugin)
        {
            upper = NegativeBinomialBound(mu, phi, options.Alpha);

            // R centres the nbPlugin score on the linear predictor η = log μ, not on μ: its scores are exactly
            // (y − log μ)/(U − log μ) (1 where y = U, positive for y = 1 < μ). Score > 1 is still y > U.
            scoreCentre = eta;
            pValue = 1 - (phi > 1
                ? DiscreteQuantiles.NegativeBinomialCdf(yt - 1, mu / (phi - 1), 1 / phi)
                : DiscreteQuantiles.PoissonCdf(yt - 1, mu));
            mu0 = mu;
        }
        else
        {
            // se is predict.glm's response-scale error μ·se(η̂), but R's se(η̂) is scaled by the prior-weighted
            // dispersion (QuasiPoissonFit.PriorWeightedDispersion), not by Pearson's; with it every mu0 of the
            // reference outputs, with and without trend, is reproduced.
            double se = mu * seEta;
            (upper, double standardised) = DeltaBound(mu, se, phi, z, yt, options.PowerTransform);
            pValue = 1 - Normal.CDF(0, 1, standardised);

            // R reports exp(qnorm(1 − α, μ, se)) here; no alarm uses it, it is kept so the diagnostics compare.
            mu0 = Math.Exp(mu + (z * se));
            scoreCentre = mu;
        }

        double score = (yt - scoreCentre) / (upper - scoreCentre);
        diagnostics.Expected[t0] = enoughRecentCases ? mu : double.NaN;
        diagnostics.Score[t0] = score;
        diagnostics.PValue[t0] = pValue;
        diagnostics.Phi[t0] = phi;
        diagnostics.Mu0[t0] = mu0;
        diagnostics.TrendCoefficient[t0] = model.TrendCoefficient;
        result.UpperBound[t0] = enoughRecentCases ? upper : double.NaN;
        result.Alarm[t0] = enoughRecentCases && score > 1 && yt != 0;
    }

    /// <summary>
    /// The fit, also on sparse counts where a seasonal level (or the whole baseline) holds no case: its log mean tends to
    /// −∞, the model matrix becomes singular, and R's glm ends with fitted rates numerically 0. Those rows contribute
    /// nothing to the other coefficients in that limit, so the fit is repeated without them. Null when the windows of
    /// the same time of year (level 0, the one predicted) have no case: the prediction is 0. Counts that fit as they
    /// are never reach the fallback, so results on the reference series are unchanged.
    /// </summary>
    private static FarringtonModel? FitSparse(FarringtonFlexibleOptions options, ref double[] y, ref int[] time, ref int[] level, int t0, double maxBaseline)
    {
        try
        {
            return FitWithTrendTest(options, y, time, level, t0, maxBaseline);
        }
        catch (ArgumentException) when (y.Length > 0)
        {
            int[] levels = level;
            double[] counts = y;
            double[] sums = new double[levels.Max() + 1];
            for (int i = 0; i < counts.Length; i++)
            {
                sums[levels[i]] += counts[i];
            }

            if (sums[0] == 0)
            {
                return null;
            }

            int[] keep = [.. Enumerable.Range(0, counts.Length).Where(i => sums[levels[i]] > 0)];
            if (keep.Length == counts.Length)
            {
                throw; // singular for another reason; the caller reports it
            }

            int[] times = time;
            y = [.. keep.Select(i => counts[i])];
            time = [.. keep.Select(i => times[i])];
            level = [.. keep.Select(i => levels[i])];
            return FitWithTrendTest(options, y, time, level, t0, maxBaseline);
        }
    }

    /// <summary>
    /// Fits with the trend first; keeps it only if significant at pThresholdTrend, with at least three years of
    /// baseline, and when the fitted value at t0 does not extrapolate above the largest baseline count. The
    /// t-test uses the prior-weighted dispersion, as R does (<see cref="QuasiPoissonFit.PriorWeightedDispersion"/>).
    /// </summary>
    private static FarringtonModel FitWithTrendTest(FarringtonFlexibleOptions options, double[] y, int[] time, int[] level, int t0, double maxBaseline)
    {
        int levels = Math.Max(1, options.NoPeriods);
        if (options.Trend && TryFit(y, time, level, levels, options) is { } withTrend)
        {
            double fitted = Math.Exp(withTrend.PredictAt(t0, withTrend.Fit.Dispersion).Eta);
            if (withTrend.TrendPValue(withTrend.Fit.PriorWeightedDispersion) < options.PThresholdTrend && options.B >= 3 && fitted <= maxBaseline)
            {
                return withTrend;
            }
        }

        return FarringtonModel.Create(y, time, level, levels, trend: false, options.Reweight, options.WeightsThreshold);
    }

    /// <summary>
    /// The model with trend, or null when it cannot be fitted: with very few cases (one or two non-zero counts) the
    /// weights of the zero counts vanish and the trend is not identifiable; the trend is then dropped.
    /// </summary>
    private static FarringtonModel? TryFit(double[] y, int[] time, int[] level, int levels, FarringtonFlexibleOptions options)
    {
        try
        {
            return FarringtonModel.Create(y, time, level, levels, trend: true, options.Reweight, options.WeightsThreshold);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>qnbinom(1 − α, size = μ/(φ − 1), prob = 1/φ), or qpois(1 − α, μ) when φ = 1.</summary>
    internal static double NegativeBinomialBound(double mu, double phi, double alpha) =>
        phi > 1 ? DiscreteQuantiles.NegativeBinomial(1 - alpha, mu / (phi - 1), 1 / phi) : DiscreteQuantiles.Poisson(1 - alpha, mu);

    /// <summary>
    /// Farrington's bound on the transformed scale: U = (μ^e + z·sqrt(Var))^{1/e}, where Var is the delta-method
    /// variance of y^e with τ = φ + se²/μ. Also returns the observation's standardised exceedance on that scale.
    /// </summary>
    internal static (double Upper, double Standardised) DeltaBound(double mu, double seResponse, double phi, double z, double y, PowerTransform transform)
    {
        double tau = phi + (seResponse * seResponse / mu);
        (double sd, double exponent) = transform switch
        {
            PowerTransform.TwoThirds => (Math.Sqrt(4.0 / 9 * Math.Pow(mu, 1.0 / 3) * tau), 2.0 / 3),
            PowerTransform.Half => (Math.Sqrt(tau / 4), 0.5),
            _ => (Math.Sqrt(mu * tau), 1.0),
        };
        double centre = Math.Pow(mu, exponent);
        double upper = Math.Pow(centre + (z * sd), 1 / exponent);
        return (upper, (Math.Pow(y, exponent) - centre) / sd);
    }
}
