using OpenHip.Modules.Surveillance.Domain.Evaluation;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>One line of the harness's table: a candidate's summed score on one data set.</summary>
/// <param name="StepDays">Days per step of the data set, to give the delay in days.</param>
/// <param name="Failed">Series the algorithm could not run on (scored as no alarm).</param>
internal sealed record EvaluationRow(string Dataset, string Granularity, string Candidate, BacktestScore Score, int StepDays, int Failed = 0)
{
    public double MeanDelayDays => Score.MeanDelay * StepDays;
}
