namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// A converged quasi-Poisson log-link fit: coefficients, fitted means, leverages and the Pearson dispersion
/// Σ ω(y − μ)²/μ / (n − p), as R's <c>summary.glm</c> reports it (not clamped at 1).
/// </summary>
internal sealed class QuasiPoissonFit
{
    internal QuasiPoissonFit(double[] coefficients, double[] fitted, double[] hat, double[] unscaledCovariance, double dispersion, double priorWeightedDispersion, int residualDf)
    {
        Coefficients = coefficients;
        Fitted = fitted;
        Hat = hat;
        UnscaledCovariance = unscaledCovariance;
        Dispersion = dispersion;
        PriorWeightedDispersion = priorWeightedDispersion;
        ResidualDf = residualDf;
    }

    public double[] Coefficients { get; }

    public double[] Fitted { get; }

    public double[] Hat { get; }

    /// <summary>(XᵀWX)⁻¹, row-major p×p.</summary>
    public double[] UnscaledCovariance { get; }

    public double Dispersion { get; }

    /// <summary>
    /// Σ ω((y − μ)/μ)² / (n − p): the squared working residuals weighted by the prior weights ω alone, without
    /// the working weights μ that make <see cref="Dispersion"/> Pearson's. R's <c>farringtonFlexible</c> tests
    /// the trend and computes the prediction error with this value (its model object ends up with the prior
    /// weights where <c>summary.glm</c> expects the working ones); it reproduces every trend decision and
    /// prediction error of the reference outputs, where Pearson's misses a quarter of them.
    /// </summary>
    public double PriorWeightedDispersion { get; }

    public int ResidualDf { get; }

    public int ParameterCount => Coefficients.Length;

    /// <summary>Linear predictor at <paramref name="x"/> and its standard error with the model's dispersion.</summary>
    public (double Eta, double SeEta) Predict(ReadOnlySpan<double> x) => Predict(x, Dispersion);

    /// <summary>Linear predictor at <paramref name="x"/> and its standard error with the given dispersion.</summary>
    public (double Eta, double SeEta) Predict(ReadOnlySpan<double> x, double dispersion)
    {
        int p = ParameterCount;
        double eta = 0;
        double variance = 0;
        for (int i = 0; i < p; i++)
        {
            eta += x[i] * Coefficients[i];
            double row = 0;
            for (int j = 0; j < p; j++)
            {
                row += UnscaledCovariance[(i * p) + j] * x[j];
            }

            variance += x[i] * row;
        }

        return (eta, Math.Sqrt(dispersion * variance));
    }

    /// <summary>Standard error of coefficient <paramref name="index"/> with the given dispersion.</summary>
    public double StandardError(int index, double dispersion) => Math.Sqrt(dispersion * UnscaledCovariance[(index * ParameterCount) + index]);
}
