namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// The baseline steps of the Farrington family: windows of ±w steps around the same time of year in each of the b
/// previous years and, with more than one period, the rest of those years split into seasonal blocks.
/// </summary>
internal static class ReferenceWeeks
{
    /// <summary>The 0-based index of the step that was "the same time of year", <paramref name="years"/> years before <paramref name="t0"/>.</summary>
    /// <remarks>
    /// Without dates this is t0 − years·freq. With dates it is the step on the same weekday closest to the date
    /// that many calendar years back (R's <c>epochAsDate</c>), or -1 when the series has no such step.
    /// </remarks>
    public static int SameTimeOfYear(CountSeries series, int t0, int years)
    {
        if (series.Dates is null)
        {
            return t0 - (years * series.Frequency);
        }

        DateOnly current = series.Dates[t0];
        DateOnly target = current.AddYears(-years);
        int weeks = (int)Math.Round((current.DayNumber - target.DayNumber) / 7.0, MidpointRounding.AwayFromZero);
        DateOnly reference = current.AddDays(-7 * weeks);
        int index = Array.BinarySearch(series.Dates, reference);
        return index >= 0 ? index : -1;
    }

    /// <summary>
    /// Baseline steps (0-based) and their seasonal level: 0 for the windows around the same time of year, 1..k
    /// for the blocks between them when <paramref name="noPeriods"/> is k + 1 &gt; 1.
    /// </summary>
    public static List<(int Index, int Level)> Build(CountSeries series, int t0, int b, int w, int noPeriods, int pastStepsExcluded)
    {
        var rows = new List<(int Index, int Level)>();
        int last = t0 - pastStepsExcluded - 1;
        int newerWindowStart = t0 - w;
        for (int year = 1; year <= b; year++)
        {
            int centre = SameTimeOfYear(series, t0, year);
            if (centre < 0)
            {
                continue;
            }

            if (noPeriods > 1)
            {
                AddBlocks(rows, centre + w + 1, newerWindowStart - 1, noPeriods - 1, last);
            }

            for (int i = centre - w; i <= centre + w; i++)
            {
                if (i >= 0 && i <= last)
                {
                    rows.Add((i, 0));
                }
            }

            newerWindowStart = centre - w;
        }

        rows.Sort((x, y) => x.Index.CompareTo(y.Index));
        return rows;
    }

    /// <summary>
    /// Splits the steps first..end into <paramref name="blocks"/> consecutive blocks, step i of L going to block
    /// ⌊i·blocks/L⌋ + 1, so the lengths differ by at most one and the longer blocks come first.
    /// </summary>
    /// <remarks>
    /// Without dates the stretch between two windows is 52 − (2w + 1) = 45 weeks, nine blocks of 5. With dates
    /// one stretch per step is 46 weeks, and R gives the extra week to the oldest block (the one after the older
    /// window): salmNewport's φ and μ match on every step that way, and on none with the extra week in the
    /// newest block. The reference has only 45- and 46-week stretches, so how R spreads a larger remainder is
    /// not established; a proportional split is the natural reading of "equal blocks".
    /// </remarks>
    private static void AddBlocks(List<(int Index, int Level)> rows, int first, int end, int blocks, int last)
    {
        int length = end - first + 1;
        for (int i = first; i <= end; i++)
        {
            if (i >= 0 && i <= last)
            {
                rows.Add((i, ((i - first) * blocks / length) + 1));
            }
        }
    }
}
