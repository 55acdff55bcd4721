namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>
/// Turns labelled outbreak periods into per-step labels: a step (a day, or a week from its first day) is inside an
/// outbreak when any of its days lies in one of the periods. Shared by <c>$surveillance-backtest</c> and the evaluation
/// harness, so both label steps the same way.
/// </summary>
internal static class OutbreakSteps
{
    /// <param name="stepStarts">First day of each step, in order.</param>
    /// <param name="stepDays">Days per step (1 for days, 7 for ISO weeks).</param>
    /// <param name="periods">Outbreak periods, first and last day inclusive.</param>
    public static bool[] Label(IReadOnlyList<DateOnly> stepStarts, int stepDays, IEnumerable<(DateOnly First, DateOnly Last)> periods)
    {
        ArgumentNullException.ThrowIfNull(stepStarts);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepDays, 1);
        (DateOnly First, DateOnly Last)[] all = [.. periods];
        var inside = new bool[stepStarts.Count];
        for (int i = 0; i < inside.Length; i++)
        {
            DateOnly first = stepStarts[i], last = first.AddDays(stepDays - 1);
            inside[i] = all.Any(p => first <= p.Last && last >= p.First);
        }

        return inside;
    }
}
