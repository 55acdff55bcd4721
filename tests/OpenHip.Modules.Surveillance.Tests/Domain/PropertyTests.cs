using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Domain;

public sealed class PropertyTests
{
    private static readonly CountSeries Flat = new(Enumerable.Repeat(5.0, 6 * 52).ToArray());

    public static TheoryData<string> Detectors() => ["earsC1", "earsC2", "earsC3", "earsC3cdc", "farringtonFlexible", "farringtonNoufaily", "farrington", "cusum", "bayes", "rki", "glrnb", "essenceEwma", "essenceRegression", "movingPercentile"];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Detector_FlatSeries_NeverAlarms(string detector)
    {
        DetectionResult result = Run(detector, Flat);

        Assert.DoesNotContain(true, result.Alarm);
    }

    [Fact]
    public void EarsC1_HigherAlpha_NeverRaisesTheBound()
    {
        CountSeries series = Seasonal();
        DetectionResult strict = EarsC.Detect(series, new EarsOptions { Alpha = 0.001 });
        DetectionResult loose = EarsC.Detect(series, new EarsOptions { Alpha = 0.05 });

        AssertMonotone(strict, loose);
    }

    [Fact]
    public void FarringtonFlexible_HigherAlpha_NeverRaisesTheBound()
    {
        CountSeries series = Seasonal();
        foreach (FarringtonFlexibleOptions preset in new[] { FarringtonFlexibleOptions.Default, FarringtonFlexibleOptions.Noufaily })
        {
            DetectionResult strict = FarringtonFlexible.Detect(series, preset with { Alpha = 0.01 });
            DetectionResult loose = FarringtonFlexible.Detect(series, preset with { Alpha = 0.1 });

            AssertMonotone(strict, loose);
        }
    }

    [Fact]
    public void Bayes_HigherAlpha_NeverRaisesTheBound()
    {
        CountSeries series = Seasonal();
        AssertMonotone(Bayes.Detect(series, new BayesOptions { Alpha = 0.01 }), Bayes.Detect(series, new BayesOptions { Alpha = 0.1 }));
    }

    [Fact]
    public void EarsC1_SpikeAboveBaseline_Alarms()
    {
        double[] counts = Enumerable.Range(0, 20).Select(i => 10.0 + (i % 3)).ToArray();
        counts[15] = 40;

        DetectionResult result = EarsC.Detect(new CountSeries(counts), new EarsOptions());

        Assert.True(result.Alarm[15]);
        Assert.False(result.Alarm[14]);
    }

    [Fact]
    public void FarringtonFlexible_OutbreakWeekInSeasonalSeries_Alarms()
    {
        double[] counts = Seasonal().Observed.ToArray();
        counts[300] += 40;

        DetectionResult result = FarringtonFlexible.Detect(new CountSeries(counts), FarringtonFlexibleOptions.Noufaily);

        Assert.True(result.Alarm[300]);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("baseline")]
    [InlineData("range")]
    public void EarsC_BadParameter_ThrowsArgumentException(string which)
    {
        EarsOptions options = which switch
        {
            "alpha" => new EarsOptions { Alpha = 1.5 },
            "baseline" => new EarsOptions { Baseline = 1 },
            _ => new EarsOptions { Range = new MonitoredRange(2, 10) },
        };

        var error = Assert.Throws<ArgumentException>(() => EarsC.Detect(Seasonal(), options));
        Assert.Contains("earsC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FarringtonFlexible_BadParameters_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => FarringtonFlexible.Detect(Seasonal(), FarringtonFlexibleOptions.Default with { B = 0 }));
        Assert.Throws<ArgumentException>(() => FarringtonFlexible.Detect(Seasonal(), FarringtonFlexibleOptions.Default with { Alpha = 0 }));
        Assert.Throws<ArgumentException>(() => FarringtonFlexible.Detect(Seasonal(), FarringtonFlexibleOptions.Noufaily with { NoPeriods = 0 }));
        Assert.Throws<ArgumentException>(() => FarringtonFlexible.Detect(new CountSeries([1, 2, 3]), FarringtonFlexibleOptions.Default));
    }

    [Fact]
    public void CountSeries_NegativeCount_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new CountSeries([1, -2, 3]));
        Assert.Throws<ArgumentException>(() => new CountSeries([1, 2], frequency: 0));
    }

    [Fact]
    public void OtherDetectors_BadParameters_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Cusum.Detect(Seasonal(), new CusumOptions { H = -1 }));
        Assert.Throws<ArgumentException>(() => GlrPoisson.Detect(Seasonal(), new GlrPoissonOptions { CArl = 0 }));
        Assert.Throws<ArgumentException>(() => Bayes.Detect(Seasonal(), new BayesOptions { Alpha = 2 }));
        Assert.Throws<ArgumentException>(() => MovingPercentile.Detect(Seasonal(), new MovingPercentileOptions { Percentile = 120 }));
        Assert.Throws<ArgumentException>(() => Essence.Detect(Seasonal(), new EssenceOptions { Omega = 0 }));
        Assert.Throws<ArgumentException>(() => Rki.Detect(Seasonal(), new RkiOptions { B = 0, ActualYear = false }));
    }

    internal static DetectionResult Run(string detector, CountSeries series) => detector switch
    {
        "earsC1" => EarsC.Detect(series, new EarsOptions()),
        "earsC2" => EarsC.Detect(series, new EarsOptions { Method = EarsMethod.C2 }),
        "earsC3" => EarsC.Detect(series, new EarsOptions { Method = EarsMethod.C3 }),
        "earsC3cdc" => EarsC.Detect(series, new EarsOptions { Method = EarsMethod.C3, C3Mode = C3Mode.Cdc }),
        "farringtonFlexible" => FarringtonFlexible.Detect(series, FarringtonFlexibleOptions.Default),
        "farringtonNoufaily" => FarringtonFlexible.Detect(series, FarringtonFlexibleOptions.Noufaily),
        "farrington" => Farrington.Detect(series, new FarringtonOptions()),
        "cusum" => Cusum.Detect(series, new CusumOptions { Range = new MonitoredRange(60, series.Length) }),
        "bayes" => Bayes.Detect(series, new BayesOptions()),
        "rki" => Rki.Detect(series, new RkiOptions()),
        "glrnb" => GlrPoisson.Detect(series, new GlrPoissonOptions()),
        "essenceEwma" => Essence.Detect(series, new EssenceOptions { Method = EssenceMethod.Ewma }),
        "essenceRegression" => Essence.Detect(series, new EssenceOptions { Method = EssenceMethod.Regression }),
        _ => MovingPercentile.Detect(series, new MovingPercentileOptions { DaysPerYear = 52 }),
    };

    /// <summary>A deterministic seasonal weekly series: 6 years, yearly cycle, a little noise from a fixed hash.</summary>
    internal static CountSeries Seasonal() => new(Enumerable.Range(0, 6 * 52)
        .Select(i => Math.Round(8 + (4 * Math.Sin(2 * Math.PI * i / 52)) + ((i * 7919 % 13) / 4.0)))
        .ToArray());

    private static void AssertMonotone(DetectionResult strict, DetectionResult loose)
    {
        for (int i = 0; i < strict.Length; i++)
        {
            if (!double.IsNaN(strict.UpperBound[i]))
            {
                Assert.True(strict.UpperBound[i] >= loose.UpperBound[i], $"step {i + 1}: {strict.UpperBound[i]} < {loose.UpperBound[i]}");
            }
        }
    }
}
