using MathNet.Numerics.Distributions;

namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>
/// The point-source outbreak model of R's <c>sim.pointSource</c> (Höhle's <c>surveillance</c> package), written from its
/// published description, for evaluating detectors on many labelled series. A hidden two-state Markov chain marks
/// outbreak steps: from no outbreak a new one starts with probability 1 − p, an outbreak continues with probability r;
/// the first step has none. Counts are Poisson with mean exp(A·sin(frequency·2πt/52 + φ) + α + β·t + K·state_t),
/// t = 1..length (R's <c>sim.seasonalNoise</c> with the state's weight K). Check against the reference series
/// (../shared/data/surveillance/sim_pointsource_input.csv, K = 2.5): outbreak weeks hold 15–93 cases where the
/// formula gives means 20–90. Random numbers are .NET's, so the series are not R's, only the same model.
/// </summary>
internal static class PointSourceSimulation
{
    /// <summary>Weeks per seasonal cycle; R's <c>sim.seasonalNoise</c> uses ω = 2π/52.</summary>
    private const double Period = 52;

    public static (double[] Observed, bool[] Outbreak) Simulate(PointSourceOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(seed);
        bool[] state = new bool[options.Length];
        for (int i = 1; i < state.Length; i++)
        {
            double stay = state[i - 1] ? options.R : 1 - options.P;
            state[i] = random.NextDouble() < stay;
        }

        double[] observed = new double[options.Length];
        for (int i = 0; i < observed.Length; i++)
        {
            int t = i + 1;
            double eta = (options.A * Math.Sin((options.Frequency * 2 * Math.PI * t / Period) + options.Phi)) + options.Alpha + (options.Beta * t) + (state[i] ? options.K : 0);
            observed[i] = Poisson.Sample(random, Math.Exp(eta));
        }

        return (observed, state);
    }
}
