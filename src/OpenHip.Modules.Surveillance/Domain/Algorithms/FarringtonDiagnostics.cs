namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Per monitored step of Farrington flexible: the fitted mean (NaN when the 5-in-4 rule blocks), the exceedance
/// score (y − μ)/(U − μ) (with nbPlugin (y − log μ)/(U − log μ), as R), the p-value of the observation, φ = max(1, dispersion), R's <c>mu0</c> and the trend
/// coefficient per step (NaN when the trend was dropped). Steps outside the range are NaN throughout.
/// </summary>
internal sealed class FarringtonDiagnostics
{
    public FarringtonDiagnostics(int length)
    {
        Expected = Filled(length);
        Score = Filled(length);
        PValue = Filled(length);
        Phi = Filled(length);
        Mu0 = Filled(length);
        TrendCoefficient = Filled(length);
    }

    public double[] Expected { get; }

    public double[] Score { get; }

    public double[] PValue { get; }

    public double[] Phi { get; }

    public double[] Mu0 { get; }

    public double[] TrendCoefficient { get; }

    private static double[] Filled(int length)
    {
        var values = new double[length];
        Array.Fill(values, double.NaN);
        return values;
    }
}
