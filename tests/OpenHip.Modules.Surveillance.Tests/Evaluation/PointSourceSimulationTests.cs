using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Modules.Surveillance.Tests.Evaluation;

/// <summary>The point-source simulator used by the evaluation harness: its outbreak labels follow the Markov chain.</summary>
public sealed class PointSourceSimulationTests
{
    [Fact]
    public void Simulate_SameSeed_SameSeries()
    {
        var options = new PointSourceOptions();

        (double[] a, bool[] sa) = PointSourceSimulation.Simulate(options, 7);
        (double[] b, bool[] sb) = PointSourceSimulation.Simulate(options, 7);

        Assert.Equal(a, b);
        Assert.Equal(sa, sb);
        Assert.Equal(520, a.Length);
    }

    [Fact]
    public void Simulate_NeverStarting_HasNoOutbreakStep()
    {
        (_, bool[] state) = PointSourceSimulation.Simulate(new PointSourceOptions { P = 1 }, 1);

        Assert.DoesNotContain(true, state);
    }

    [Fact]
    public void Simulate_AlwaysStartingAndStaying_LabelsEveryStepButTheFirst()
    {
        (_, bool[] state) = PointSourceSimulation.Simulate(new PointSourceOptions { P = 0, R = 1, Length = 10 }, 1);

        Assert.False(state[0]);
        Assert.All(state[1..], Assert.True);
    }

    [Fact]
    public void Simulate_NeverStaying_OutbreaksLastOneStep()
    {
        (_, bool[] state) = PointSourceSimulation.Simulate(new PointSourceOptions { P = 0.5, R = 0, Length = 2000 }, 3);

        for (int i = 1; i < state.Length; i++)
        {
            Assert.False(state[i] && state[i - 1]);
        }

        Assert.Contains(true, state);
    }

    [Fact]
    public void Simulate_ReferenceParameters_OutbreakShareAndSizeAsTheModel()
    {
        // Stationary outbreak share (1 − p) / ((1 − p) + (1 − r)) = 0.02 / 0.52 = 3.85 %; mean run length 1 / (1 − r) = 2.
        // Endemic mean over a cycle = e^α·I₀(A) = e·1.266 = 3.44; on outbreak steps e^K ≈ 12.2 times that.
        int outbreakSteps = 0, runs = 0, steps = 0;
        double endemic = 0, outbreak = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            (double[] y, bool[] state) = PointSourceSimulation.Simulate(new PointSourceOptions(), seed);
            for (int i = 0; i < y.Length; i++)
            {
                steps++;
                if (state[i])
                {
                    outbreakSteps++;
                    outbreak += y[i];
                    runs += i == 0 || !state[i - 1] ? 1 : 0;
                }
                else
                {
                    endemic += y[i];
                }
            }
        }

        Assert.InRange(outbreakSteps / (double)steps, 0.030, 0.047);
        Assert.InRange(outbreakSteps / (double)runs, 1.7, 2.3);
        Assert.InRange(endemic / (steps - outbreakSteps), 3.2, 3.7);
        Assert.InRange(outbreak / outbreakSteps / (endemic / (steps - outbreakSteps)), 9, 16);
    }
}
