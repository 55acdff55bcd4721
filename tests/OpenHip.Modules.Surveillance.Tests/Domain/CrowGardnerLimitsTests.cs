using MathNet.Numerics.Distributions;
using OpenHip.Modules.Surveillance.Domain.Statistics;

namespace OpenHip.Modules.Surveillance.Tests.Domain;

public sealed class CrowGardnerLimitsTests
{
    /// <summary>
    /// Each tabulated limit is where Crow and Gardner's acceptance run for the mean moves past the count: just
    /// below it (by more than the rounding to three decimals) the run still starts at or below x, just above it
    /// the run starts at x + 1.
    /// </summary>
    [Fact]
    public void Upper_EveryCount_IsWhereTheShortestAcceptanceRunStartsAboveIt()
    {
        const double Rounding = 0.0006;
        for (int x = 0; x <= CrowGardnerLimits.MaxCount; x++)
        {
            double limit = CrowGardnerLimits.Upper(x);

            Assert.True(AcceptanceRunStart(limit - Rounding) <= x, $"x={x}: run starts above x below the limit {limit}");
            Assert.Equal(x + 1, AcceptanceRunStart(limit + Rounding));
        }
    }

    [Fact]
    public void Upper_EveryCount_IsBelowTheExactLimit()
    {
        // Garwood's exact two-sided 95 % upper limit 0.5·χ²₀.₉₇₅(2x + 2) (5.572 for x = 1): Crow and Gardner's
        // intervals are shorter, which is why R's bounds differ from it.
        for (int x = 0; x <= CrowGardnerLimits.MaxCount; x++)
        {
            Assert.True(CrowGardnerLimits.Upper(x) < 0.5 * ChiSquared.InvCDF((2 * x) + 2, 0.975), $"x={x}");
        }
    }

    /// <summary>The lowest count of the shortest run with probability ≥ 0.95 under Poisson(μ), the highest of equally short ones.</summary>
    private static int AcceptanceRunStart(double mu)
    {
        for (int length = 0; ; length++)
        {
            int start = -1;
            for (int a = 0; a <= mu + 20; a++)
            {
                double probability = DiscreteQuantiles.PoissonCdf(a + length, mu) - DiscreteQuantiles.PoissonCdf(a - 1, mu);
                if (probability >= 0.95)
                {
                    start = a;
                }
            }

            if (start >= 0)
            {
                return start;
            }
        }
    }
}
