using MathNet.Numerics;

namespace OpenHip.Modules.Surveillance.Domain.Statistics;

/// <summary>
/// Poisson and negative-binomial quantiles as R defines them: the smallest integer x with P(X ≤ x) ≥ p, after R's
/// relative fuzz of 64 machine epsilons on p. MathNet.Numerics has the CDFs (regularized gamma/beta) but no
/// inverse for discrete distributions, so the search is written here.
/// </summary>
internal static class DiscreteQuantiles
{
    private const double Fuzz = 1 - (64 * 2.220446049250313e-16);

    public static double PoissonCdf(double x, double lambda) =>
        x < 0 ? 0 : lambda == 0 ? 1 : SpecialFunctions.GammaUpperRegularized(Math.Floor(x) + 1, lambda);

    /// <summary>P(X ≤ x) for X ~ NB(size, prob), the number of failures before the size-th success.</summary>
    public static double NegativeBinomialCdf(double x, double size, double prob) =>
        x < 0 ? 0 : SpecialFunctions.BetaRegularized(size, Math.Floor(x) + 1, prob);

    public static double Poisson(double p, double lambda)
    {
        if (lambda == 0)
        {
            return 0;
        }

        double sd = Math.Sqrt(lambda);
        return Search(p, lambda + (sd * MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p)), x => PoissonCdf(x, lambda));
    }

    public static double NegativeBinomial(double p, double size, double prob)
    {
        double mean = size * (1 - prob) / prob;
        double sd = Math.Sqrt(mean / prob);
        return Search(p, mean + (sd * MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p)), x => NegativeBinomialCdf(x, size, prob));
    }

    private static double Search(double p, double start, Func<double, double> cdf)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            return double.NaN;
        }

        double target = p * Fuzz;
        double x = Math.Max(0, Math.Floor(double.IsFinite(start) ? start : 0));
        if (cdf(x) >= target)
        {
            while (x > 0 && cdf(x - 1) >= target)
            {
                x--;
            }

            return x;
        }

        do
        {
            x++;
        }
        while (cdf(x) < target);
        return x;
    }
}
