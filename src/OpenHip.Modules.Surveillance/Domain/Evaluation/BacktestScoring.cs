namespace OpenHip.Modules.Surveillance.Domain.Evaluation;

/// <summary>
/// Scores a detector's alarms against labelled outbreak steps, as the simulation studies of R's <c>surveillance</c>
/// package do (README of ../shared/data/surveillance): per monitored step TP/FP/TN/FN by alarm × inside a labelled
/// outbreak; an outbreak is a run of consecutive labelled steps that overlaps the monitored steps; it is detected when
/// at least one monitored step inside the run alarms, and its delay is the number of steps from the run's first step to
/// that first alarm. Only alarms inside the run count, so an alarm the step after an outbreak ends is a false alarm.
/// </summary>
internal static class BacktestScoring
{
    /// <summary>
    /// The monitored steps are those from the first to the last step with a non-null alarm (the detector's range); a
    /// null alarm between them (R's NA, e.g. EARS C3 on 0/0) counts as no alarm.
    /// </summary>
    /// <param name="alarms">Per step: the detector's alarm, null outside its range.</param>
    /// <param name="outbreak">Per step: inside a labelled outbreak.</param>
    /// <param name="frequency">Steps per year, for the area-years monitored (one series = one area).</param>
    public static (BacktestScore Score, IReadOnlyList<OutbreakRun> Runs) Score(IReadOnlyList<bool?> alarms, IReadOnlyList<bool> outbreak, int frequency)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(outbreak);
        if (alarms.Count != outbreak.Count)
        {
            throw new ArgumentException($"alarms has {alarms.Count} steps but the outbreak labels have {outbreak.Count}", nameof(outbreak));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(frequency, 1);
        int first = -1, last = -1;
        for (int i = 0; i < alarms.Count; i++)
        {
            if (alarms[i] is not null)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        if (first < 0)
        {
            return (BacktestScore.Empty, []);
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = first; i <= last; i++)
        {
            bool alarm = alarms[i] == true;
            (tp, fp, tn, fn) = (alarm, outbreak[i]) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (true, false) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                (false, true) => (tp, fp, tn, fn + 1),
            };
        }

        List<OutbreakRun> runs = Runs(alarms, outbreak, first, last);
        int detected = runs.Count(r => r.Detected);
        int delaySum = runs.Sum(r => r.Delay ?? 0);
        var score = new BacktestScore(tp, fp, tn, fn, runs.Count, detected, delaySum, (last - first + 1) / (double)frequency);
        return (score, runs);
    }

    private static List<OutbreakRun> Runs(IReadOnlyList<bool?> alarms, IReadOnlyList<bool> outbreak, int first, int last)
    {
        var runs = new List<OutbreakRun>();
        int i = 0;
        while (i < outbreak.Count)
        {
            if (!outbreak[i])
            {
                i++;
                continue;
            }

            int start = i;
            while (i + 1 < outbreak.Count && outbreak[i + 1])
            {
                i++;
            }

            int end = i;
            i++;
            if (end < first || start > last)
            {
                continue; // outside the monitored steps: the detector never had a chance to see it
            }

            int? delay = null;
            for (int s = Math.Max(start, first); s <= Math.Min(end, last); s++)
            {
                if (alarms[s] == true)
                {
                    delay = s - start;
                    break;
                }
            }

            runs.Add(new OutbreakRun(start, end, delay));
        }

        return runs;
    }
}
