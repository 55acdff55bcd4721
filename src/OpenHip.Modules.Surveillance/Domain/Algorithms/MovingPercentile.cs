namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// CIDARS moving percentile method: each day, the total of the last <c>window</c> days is compared with the given
/// percentile of the baseline totals (the same period and its neighbours in previous years); an alarm when the
/// current total exceeds it. The bound is that percentile, on the scale of the window total. Percentiles
/// interpolate linearly between order statistics (Hyndman and Fan type 7, the default of R and Excel).
/// </summary>
internal static class MovingPercentile
{
    public static DetectionResult Detect(CountSeries series, MovingPercentileOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Days whose baseline reaches before the series stay NA, so the default range is the whole series.
        MonitoredRange range = MonitoredRange.Resolve(options.Range, series.Length, 1, "movingPercentile");
        var result = new DetectionResult(series.Length);
        var totals = new List<double>();
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            totals.Clear();
            bool complete = CollectBaseline(series, t0, options, totals);
            if (!complete || t0 + 1 < options.Window)
            {
                continue;
            }

            double upper = Percentile(totals, options.Percentile / 100);
            result.UpperBound[t0] = upper;
            result.Alarm[t0] = WindowTotal(series.Observed, t0, options.Window) > upper;
        }

        return result;
    }

    /// <summary>Adds the baseline totals; false when some baseline day lies before the series.</summary>
    private static bool CollectBaseline(CountSeries series, int t0, MovingPercentileOptions options, List<double> totals)
    {
        for (int year = 1; year <= options.Years; year++)
        {
            int end = SameDay(series, t0, year, options.DaysPerYear);
            for (int period = -options.PeriodsAround; period <= options.PeriodsAround; period++)
            {
                int periodEnd = end + (period * options.Window);
                if (periodEnd - options.Window + 1 < 0 || periodEnd >= series.Length)
                {
                    return false;
                }

                totals.Add(WindowTotal(series.Observed, periodEnd, options.Window));
            }
        }

        return true;
    }

    private static int SameDay(CountSeries series, int t0, int years, int daysPerYear)
    {
        if (series.Dates is null)
        {
            return t0 - (years * daysPerYear);
        }

        // A daily series with consecutive dates: the same calendar date lies that many days back.
        int back = series.Dates[t0].DayNumber - series.Dates[t0].AddYears(-years).DayNumber;
        return t0 - back;
    }

    internal static double WindowTotal(double[] observed, int end, int window)
    {
        double sum = 0;
        for (int i = end - window + 1; i <= end; i++)
        {
            sum += observed[i];
        }

        return sum;
    }

    /// <summary>Type-7 percentile: position h = (n − 1)p, linear between the two order statistics around it.</summary>
    internal static double Percentile(List<double> values, double p)
    {
        values.Sort();
        double h = (values.Count - 1) * p;
        int low = (int)Math.Floor(h);
        int high = Math.Min(low + 1, values.Count - 1);
        return values[low] + ((h - low) * (values[high] - values[low]));
    }
}
