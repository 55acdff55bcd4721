namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// Controls of the CIDARS moving percentile method (Yang et al. 2011, China's Infectious Disease Automated-alert
/// and Response System) on a daily series: the last <see cref="Window"/> days' total against the totals of the
/// same period and <see cref="PeriodsAround"/> neighbouring periods on each side in each of <see cref="Years"/>
/// previous years.
/// </summary>
internal sealed record MovingPercentileOptions
{
    public int Window { get; init; } = 7;

    public int Years { get; init; } = 3;

    /// <summary>Periods of <see cref="Window"/> days before and after the same-date period that also enter the baseline.</summary>
    public int PeriodsAround { get; init; } = 2;

    /// <summary>The percentile of the baseline totals used as the threshold; CIDARS sets P50–P80 per disease.</summary>
    public double Percentile { get; init; } = 80;

    /// <summary>Days per year when the series has no dates (with dates the same calendar date is used).</summary>
    public int DaysPerYear { get; init; } = 365;

    public MonitoredRange? Range { get; init; }

    public void Validate()
    {
        if (Window < 1 || Years < 1 || PeriodsAround < 0 || DaysPerYear < 1)
        {
            throw new ArgumentException($"movingPercentile: window, years and daysPerYear must be at least 1 and periodsAround not negative (got window={Window}, years={Years}, periodsAround={PeriodsAround}, daysPerYear={DaysPerYear})");
        }

        if (Percentile is not (>= 0 and <= 100))
        {
            throw new ArgumentException($"movingPercentile: percentile must lie between 0 and 100 (got {Percentile})");
        }
    }
}
