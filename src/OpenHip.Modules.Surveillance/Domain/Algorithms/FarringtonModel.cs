using MathNet.Numerics.Distributions;
using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The Farrington regression on the baseline: log μ = α + β·t (+ seasonal block effects), quasi-Poisson, optionally
/// refitted once with weights that shrink the influence of past outbreaks (Anscombe residuals above a threshold).
/// </summary>
internal sealed class FarringtonModel
{
    private FarringtonModel(QuasiPoissonFit fit, bool trend)
    {
        Fit = fit;
        HasTrend = trend;
        Phi = Math.Max(1, fit.Dispersion);
    }

    public QuasiPoissonFit Fit { get; }

    public bool HasTrend { get; }

    /// <summary>The dispersion as the thresholds use it: never below Poisson.</summary>
    public double Phi { get; }

    public double TrendCoefficient => HasTrend ? Fit.Coefficients[1] : double.NaN;

    /// <summary>
    /// Two-sided t-test p-value of the trend coefficient, as <c>summary.glm</c> gives for a quasi family with
    /// the given dispersion.
    /// </summary>
    public double TrendPValue(double dispersion)
    {
        double t = Fit.Coefficients[1] / Fit.StandardError(1, dispersion);
        return 2 * (1 - StudentT.CDF(0, 1, Fit.ResidualDf, Math.Abs(t)));
    }

    /// <summary>Linear predictor at step t0 (1-based time, level 0) and its standard error with the given dispersion.</summary>
    public (double Eta, double SeEta) PredictAt(int t0, double dispersion)
    {
        Span<double> x = stackalloc double[Fit.ParameterCount];
        x.Clear();
        x[0] = 1;
        if (HasTrend)
        {
            x[1] = t0;
        }

        return Fit.Predict(x, dispersion);
    }

    public static FarringtonModel Create(double[] y, int[] time, int[] level, int levelCount, bool trend, bool reweight, double weightsThreshold)
    {
        int n = y.Length;
        int[] columnOfLevel = LevelColumns(level, levelCount, trend ? 2 : 1, out int p);
        var design = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            design[i * p] = 1;
            if (trend)
            {
                design[(i * p) + 1] = time[i];
            }

            if (columnOfLevel[level[i]] >= 0)
            {
                design[(i * p) + columnOfLevel[level[i]]] = 1;
            }
        }

        QuasiPoissonFit fit = QuasiPoissonGlm.Fit(design, p, y, null);
        if (reweight)
        {
            // When no residual passes the threshold every weight is 1 and the refit would repeat this fit exactly.
            double[]? weights = Weights(y, fit, Math.Max(1, fit.Dispersion), weightsThreshold);
            if (weights is not null)
            {
                fit = QuasiPoissonGlm.Fit(design, p, y, weights);
            }
        }

        return new FarringtonModel(fit, trend);
    }

    /// <summary>
    /// Anscombe residuals s = 3/2 (y^{2/3} μ^{−1/6} − μ^{1/2}) / sqrt(φ(1 − h)); weight s⁻² above the threshold,
    /// 1 otherwise, all scaled so the weights add up to n (Farrington et al. 1996).
    /// </summary>
    /// <returns>The weights, or null when none differs from 1.</returns>
    private static double[]? Weights(double[] y, QuasiPoissonFit fit, double phi, double threshold)
    {
        bool any = false;
        int n = y.Length;
        var weights = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double mu = fit.Fitted[i];
            double s = 1.5 * ((Math.Pow(y[i], 2.0 / 3) * Math.Pow(mu, -1.0 / 6)) - Math.Sqrt(mu)) / Math.Sqrt(phi * (1 - fit.Hat[i]));
            weights[i] = s > threshold ? 1 / (s * s) : 1;
            any |= s > threshold;
            sum += weights[i];
        }

        if (!any)
        {
            return null;
        }

        double gamma = n / sum;
        for (int i = 0; i < n; i++)
        {
            weights[i] *= gamma;
        }

        return weights;
    }

    /// <summary>Dummy columns for the levels present other than level 0 (the current window, the baseline level).</summary>
    private static int[] LevelColumns(int[] level, int levelCount, int firstColumn, out int p)
    {
        var present = new bool[levelCount];
        foreach (int l in level)
        {
            present[l] = true;
        }

        var columns = new int[levelCount];
        p = firstColumn;
        for (int l = 0; l < levelCount; l++)
        {
            columns[l] = l > 0 && present[l] ? p++ : -1;
        }

        return columns;
    }
}
