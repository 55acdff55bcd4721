using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Domain;

/// <summary>
/// Farrington flexible on sparse county counts, where the GLM's model matrix became singular and the run failed
/// (found by the evaluation harness on the synthetic region's county series).
/// </summary>
public sealed class FarringtonSparseTests
{
    [Theory]
    [InlineData("default", new[] { 62, 81, 221 })]
    [InlineData("noufaily", new[] { 71 })]
    public void Detect_SparseCountySeries_RunsWithoutAlarm(string preset, int[] weeksWithACase)
    {
        // Two county × disease series of the harness's first synthetic region (365 weeks, one case in each listed
        // week, scored on weeks 314..365) that made the model matrix singular ("a covariate is constant ...").
        double[] counts = new double[365];
        foreach (int week in weeksWithACase)
        {
            counts[week] = 1;
        }

        FarringtonFlexibleOptions options = (preset == "default" ? FarringtonFlexibleOptions.Default : FarringtonFlexibleOptions.Noufaily) with { Range = new MonitoredRange(314, 365) };

        DetectionResult result = FarringtonFlexible.Detect(new CountSeries(counts), options);

        Assert.DoesNotContain(true, result.Alarm);
        Assert.Equal(52, result.Alarm.Count(a => a is not null));
    }

    [Fact]
    public void Detect_NoCaseInTheSameSeasonThenACluster_AlarmsOnTheCluster()
    {
        // Cases only far from week 300's season (the 5 windows around 300 − 52j hold none), then 6 cases in week 300:
        // the fitted mean there tends to 0 and so does the bound; the 5-in-4 rule is met.
        double[] counts = new double[6 * 52];
        counts[20] = 2;
        counts[130] = 1;
        counts[299] = 6;

        DetectionResult result = FarringtonFlexible.Detect(new CountSeries(counts), FarringtonFlexibleOptions.Default);

        Assert.True(result.Alarm[299]);
        Assert.InRange(result.UpperBound[299], 0, 0.01);

        // Noufaily's seasonal blocks around the cases made the model matrix singular: it now runs. (Its nbPlugin bound
        // is a whole number, 0 here, below the tiny fitted mean, so R's score (y − μ)/(U − μ) is negative: no alarm.)
        Assert.Equal(0, FarringtonFlexible.Detect(new CountSeries(counts), FarringtonFlexibleOptions.Noufaily).UpperBound[299]);
    }

    [Fact]
    public void Detect_TwoCasesOnly_DropsTheTrendAndRuns()
    {
        double[] counts = new double[6 * 52];
        counts[270 - 52] = 1;
        counts[270 - 104] = 1;

        DetectionResult result = FarringtonFlexible.Detect(new CountSeries(counts), FarringtonFlexibleOptions.Default);

        Assert.DoesNotContain(true, result.Alarm);
    }
}
