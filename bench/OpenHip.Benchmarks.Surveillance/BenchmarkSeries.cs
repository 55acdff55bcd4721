using OpenHip.Modules.Surveillance.Domain;

namespace OpenHip.Benchmarks.Surveillance;

/// <summary>Deterministic count series shaped like notifiable-disease data: a yearly cycle, a trend and noise.</summary>
internal static class BenchmarkSeries
{
    public static CountSeries Weekly(int years, int seed)
    {
        var random = new Random(seed);
        double[] counts = new double[years * 52];
        for (int i = 0; i < counts.Length; i++)
        {
            double mean = 6 + (3 * Math.Sin(2 * Math.PI * i / 52)) + (i * 0.004);
            counts[i] = Poisson(random, mean);
        }

        return new CountSeries(counts);
    }

    public static CountSeries Daily(int days, int seed)
    {
        var random = new Random(seed);
        return new CountSeries(Enumerable.Range(0, days).Select(i => Poisson(random, 4 + (2 * Math.Sin(2 * Math.PI * i / 365)))).ToArray(), 365);
    }

    internal static double Poisson(Random random, double mean) => MathNet.Numerics.Distributions.Poisson.Sample(random, mean);
}
