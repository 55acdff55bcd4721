using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Algorithms;

namespace OpenHip.Modules.Surveillance.Tests.Domain;

/// <summary>
/// CIDARS moving percentile (Yang et al. 2011) worked by hand on a small configuration: 2-day windows, "years" of
/// 10 days, 2 years back, one neighbouring period on each side (6 baseline totals).
/// </summary>
public sealed class MovingPercentileWorkedExampleTests
{
    //                                 i: 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24
    private static readonly double[] Counts = [1, 2, 0, 3, 1, 1, 2, 2, 0, 0, 0, 1, 4, 0, 2, 3, 1, 5, 0, 0, 0, 0, 0, 3, 6];

    private static MovingPercentileOptions Options(double percentile) => new()
    {
        Window = 2,
        Years = 2,
        PeriodsAround = 1,
        DaysPerYear = 10,
        Percentile = percentile,
    };

    [Fact]
    public void MovingPercentile_LastDay_ComparesTheWindowTotalWithTheBaselinePercentile()
    {
        // Day i = 24: current total y23 + y24 = 3 + 6 = 9.
        // One year back the window ends at 14, two years back at 4; with the neighbouring periods (±2 days):
        //   year 1: ends 12, 14, 16 → y11+y12 = 5, y13+y14 = 2, y15+y16 = 4
        //   year 2: ends  2,  4,  6 → y1+y2 = 2,   y3+y4 = 4,   y5+y6 = 3
        // Sorted totals: 2, 2, 3, 4, 4, 5.
        // P80: h = (6 − 1)·0.8 = 4 → x[4] = 4.   P50: h = 2.5 → x[2] + 0.5·(x[3] − x[2]) = 3 + 0.5 = 3.5.
        var p80 = MovingPercentile.Detect(new CountSeries(Counts), Options(80));
        var p50 = MovingPercentile.Detect(new CountSeries(Counts), Options(50));

        Assert.Equal(4, p80.UpperBound[24], 12);
        Assert.True(p80.Alarm[24]);
        Assert.Equal(3.5, p50.UpperBound[24], 12);
        Assert.True(p50.Alarm[24]);
    }

    [Fact]
    public void MovingPercentile_DayBeforeLast_NoAlarmBelowThePercentile()
    {
        // Day i = 23: current total y22 + y23 = 0 + 3 = 3.
        //   year 1: ends 11, 13, 15 → y10+y11 = 1, y12+y13 = 4, y14+y15 = 5
        //   year 2: ends  1,  3,  5 → y0+y1 = 3,   y2+y3 = 3,   y4+y5 = 2
        // Sorted: 1, 2, 3, 3, 4, 5 → P80 = x[4] = 4; 3 ≤ 4, no alarm.
        var result = MovingPercentile.Detect(new CountSeries(Counts), Options(80));

        Assert.Equal(4, result.UpperBound[23], 12);
        Assert.False(result.Alarm[23]);
    }

    [Fact]
    public void MovingPercentile_BaselineBeforeTheSeries_IsNA()
    {
        // Day i = 22: two years back the window ends at 2, and its earlier neighbour at 0 needs y[−1].
        var result = MovingPercentile.Detect(new CountSeries(Counts), Options(80));

        Assert.True(double.IsNaN(result.UpperBound[22]));
        Assert.Null(result.Alarm[22]);
    }
}
