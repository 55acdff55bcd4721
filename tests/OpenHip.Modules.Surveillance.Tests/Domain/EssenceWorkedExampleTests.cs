using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Domain;

/// <summary>ESSENCE EWMA and regression (Burkom 2005) worked by hand on small baselines.</summary>
public sealed class EssenceWorkedExampleTests
{
    [Fact]
    public void Ewma_SmallBaseline_MatchesHandArithmetic()
    {
        // ω = 0.5, baseline 4 days, guard 1 day, α = 0.05. Test day i = 6.
        // Baseline i = 1..4: 6, 5, 7, 6 → μ = 6, deviations 0, −1, 1, 0 → σ² = 2/3, σ = 0.8164966.
        // EWMA from S0 = 4: S1 = 5, S2 = 5, S3 = 6, S4 = 6, S5 = 5.5, S6 = 0.5·12 + 0.5·5.5 = 8.75.
        // t(0.95, 3) = 2.3533634; √(ω/(2 − ω)) = √(1/3) = 0.5773503.
        // limit on S = 6 + 2.3533634·0.8164966·0.5773503 = 6 + 1.9215132·0.5773503 = 6 + 1.1093862 = 7.1093862.
        // bound on y6 = (7.1093862 − 0.5·5.5)/0.5 = 8.7187723; 12 > 8.72 → alarm.
        var series = new CountSeries([4, 6, 5, 7, 6, 5, 12]);
        var options = new EssenceOptions { Method = EssenceMethod.Ewma, Baseline = 4, Guard = 1, Omega = 0.5, Alpha = 0.05 };

        DetectionResult result = Essence.Detect(series, options);

        Assert.Equal(8.7187723, result.UpperBound[6], 6);
        Assert.True(result.Alarm[6]);
        Assert.True(double.IsNaN(result.UpperBound[4]));
    }

    [Fact]
    public void Regression_TrendOnly_MatchesHandArithmetic()
    {
        // Baseline t = 1..5 (no guard): y = 2, 4, 5, 4, 5; t̄ = 3, ȳ = 4, Sxx = 10, Sxy = 4 + 0 + 0 + 0 + 2 = 6.
        // b1 = 0.6, b0 = 4 − 0.6·3 = 2.2; fitted 2.8, 3.4, 4.0, 4.6, 5.2; residuals −0.8, 0.6, 1.0, −0.6, −0.2.
        // RSS = 0.64 + 0.36 + 1 + 0.36 + 0.04 = 2.4; df = 3; s = √0.8 = 0.8944272.
        // At t = 6: ŷ = 2.2 + 3.6 = 5.8; leverage 1/5 + (6 − 3)²/10 = 1.1; √(1 + 1.1) = 1.4491377.
        // bound = 5.8 + t(0.95, 3)·s·1.4491377 = 5.8 + 2.1049122·1.4491377 = 5.8 + 3.0503076 = 8.8503076.
        var series = new CountSeries([2, 4, 5, 4, 5, 9]);
        var options = new EssenceOptions { Method = EssenceMethod.Regression, Baseline = 5, Guard = 0, Alpha = 0.05, DayOfWeek = false };

        DetectionResult result = Essence.Detect(series, options);

        Assert.Equal(8.8503076, result.UpperBound[5], 6);
        Assert.True(result.Alarm[5]);
    }

    [Fact]
    public void Regression_ExactTrendAndWeeklyPattern_PredictsTheContinuation()
    {
        // y_i = 10 + 0.5·(i + 1) + (i mod 7): a trend plus a day-of-week effect, fitted exactly (RSS = 0).
        // Day i = 30 (baseline i = 0..27, guard 2): ŷ = 10 + 0.5·31 + (30 mod 7 = 2) = 27.5, and s = 0, so the
        // bound is 27.5: the pattern's own value does not alarm, half a case more does.
        double[] counts = Enumerable.Range(0, 31).Select(i => 10 + (0.5 * (i + 1)) + (i % 7)).ToArray();
        var options = new EssenceOptions { Method = EssenceMethod.Regression };

        DetectionResult onPattern = Essence.Detect(new CountSeries(counts), options);
        counts[30] += 0.5;
        DetectionResult above = Essence.Detect(new CountSeries(counts), options);

        Assert.Equal(27.5, onPattern.UpperBound[30], 6);
        Assert.False(onPattern.Alarm[30]);
        Assert.True(above.Alarm[30]);
    }
}
