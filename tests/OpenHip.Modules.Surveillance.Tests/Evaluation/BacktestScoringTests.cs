using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Modules.Surveillance.Tests.Evaluation;

/// <summary>The backtest score worked by hand; the arithmetic is in the comments.</summary>
public sealed class BacktestScoringTests
{
    //                                                  i:  0     1     2      3     4      5      6     7     8      9      10    11
    private static readonly bool?[] Alarms = [null, null, false, true, false, false, true, true, false, false, true, null];
    private static readonly bool[] Outbreak = [true, false, false, false, true, true, true, false, true, true, false, false];

    [Fact]
    public void Score_WorkedExample_CountsStepsRunsAndDelay()
    {
        // Monitored: steps 2..10 (first and last non-null alarm), 9 steps.
        // 2 TN, 3 FP, 4 FN, 5 FN, 6 TP, 7 FP, 8 FN, 9 FN, 10 FP → TP 1, FP 3, TN 1, FN 4.
        // Runs: 0..0 lies before the monitored steps (ignored); 4..6 first alarm at 6 → delay 2; 8..9 no alarm inside
        // (the alarm at 10 is after it ends, a false alarm) → missed.
        (BacktestScore score, IReadOnlyList<OutbreakRun> runs) = BacktestScoring.Score(Alarms, Outbreak, frequency: 3);

        Assert.Equal(new BacktestScore(1, 3, 1, 4, 2, 1, 2, 3.0), score);
        Assert.Equal(9, score.Steps);
        Assert.Equal(0.2, score.Sensitivity, 12);           // 1 / (1 + 4)
        Assert.Equal(0.25, score.Specificity, 12);          // 1 / (1 + 3)
        Assert.Equal(0.5, score.ProbabilityOfDetection, 12); // 1 of 2
        Assert.Equal(2.0, score.MeanDelay, 12);
        Assert.Equal(1.0, score.FalseAlarmsPerAreaYear, 12); // 3 FP / (9 steps / 3 per year)
        Assert.Equal([new OutbreakRun(4, 6, 2), new OutbreakRun(8, 9, null)], runs);
    }

    [Fact]
    public void Score_RunStartingBeforeMonitoredSteps_DelayCountsFromRunStart()
    {
        // Monitored: step 2 only; the run 0..3 overlaps it and its first alarm (step 2) is 2 steps after it began.
        (BacktestScore score, IReadOnlyList<OutbreakRun> runs) = BacktestScoring.Score([null, null, true, null], [true, true, true, true], frequency: 52);

        Assert.Equal(new BacktestScore(1, 0, 0, 0, 1, 1, 2, 1 / 52.0), score);
        Assert.Equal(new OutbreakRun(0, 3, 2), Assert.Single(runs));
        Assert.True(double.IsNaN(score.Specificity));
    }

    [Fact]
    public void Score_NullAlarmInsideRange_IsNoAlarm()
    {
        // Steps 0..2 monitored; the NA at step 1 (inside the outbreak) is a false negative.
        (BacktestScore score, _) = BacktestScoring.Score([false, null, false], [false, true, false], frequency: 1);

        Assert.Equal(new BacktestScore(0, 0, 2, 1, 1, 0, 0, 3.0), score);
        Assert.True(double.IsNaN(score.MeanDelay));
    }

    [Fact]
    public void Score_NoMonitoredStep_IsEmpty()
    {
        (BacktestScore score, IReadOnlyList<OutbreakRun> runs) = BacktestScoring.Score([null, null], [true, false], frequency: 7);

        Assert.Equal(BacktestScore.Empty, score);
        Assert.Empty(runs);
        Assert.True(double.IsNaN(score.FalseAlarmsPerAreaYear));
    }

    [Fact]
    public void Add_TwoAreas_SumsCountsAndRecomputesRates()
    {
        var a = new BacktestScore(1, 3, 1, 4, 2, 1, 2, 3.0);
        var b = new BacktestScore(2, 1, 5, 0, 1, 1, 0, 1.0);

        BacktestScore sum = a.Add(b);

        Assert.Equal(new BacktestScore(3, 4, 6, 4, 3, 2, 2, 4.0), sum);
        Assert.Equal(1.0, sum.FalseAlarmsPerAreaYear, 12); // 4 FP / 4 area-years
        Assert.Equal(1.0, sum.MeanDelay, 12);              // (2 + 0) / 2
        Assert.Equal("17,4,3,4,6,4,0.428571,0.6,3,2,0.666667,1,1", sum.ToCsvFields());
    }

    [Fact]
    public void Score_LengthsDiffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => BacktestScoring.Score([true], [true, false], 1));
    }
}
