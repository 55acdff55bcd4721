namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// A converged quasi-Poisson log-link fit: coefficients, fitted means, leverages and the Pearson dispersion
/// Σ ω(y − μ)²/μ / (n − p), as R's <c>summary.glm</c> reports it (not clamped at 1).
/// </summary>
internal sealed class QuasiPoissonFit
{
    internal QuasiPoissonFit(double[] coefficients, double[] workingCoefficients, double[] fitted, double[] hat, double[] unscaledCovariance, double dispersion, int residualDf)
    {
        WorkingCoefficients = workingCoefficients;
        Coefficients = coefficients;
        Fitted = fitted;
        Hat = hat;
        UnscaledCovariance = unscaledCovariance;
        Dispersion = dispersion;
        ResidualDf = residualDf;
    }

    public double[] Coefficients { get; }

    public double[] Fitted { get; }

    public double[] Hat { get; }

    /// <summary>(XᵀWX)⁻¹, row-major p×p.</summary>
    public double[] UnscaledCovariance { get; }

    /// <summary>
    /// The coefficients of the iteration before the last, whose means gave the working weights of the final
    /// step (R's <c>glm.fit</c> keeps those weights in the model; they differ from the final ones in about the
    /// fifth digit at its stopping rule).
    /// </summary>
    public double[] WorkingCoefficients { get; }

    public double Dispersion { get; }

    public int ResidualDf { get; }

    public int ParameterCount => Coefficients.Length;

    /// <summary>Linear predictor at <paramref name="x"/> and its standard error with the model's dispersion.</summary>
    public (double Eta, double SeEta) Predict(ReadOnlySpan<double> x)
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

        return (eta, Math.Sqrt(Dispersion * variance));
    }

    /// <summary>Linear predictor at <paramref name="x"/> from <see cref="WorkingCoefficients"/>.</summary>
    public double WorkingPredict(ReadOnlySpan<double> x)
    {
        double eta = 0;
        for (int i = 0; i < ParameterCount; i++)
        {
            eta += x[i] * WorkingCoefficients[i];
        }

        return eta;
    }

    /// <summary>Standard error of coefficient <paramref name="index"/> with the model's dispersion.</summary>
    public double StandardError(int index) => Math.Sqrt(Dispersion * UnscaledCovariance[(index * ParameterCount) + index]);
}
