namespace OpenHip.Modules.Surveillance.Domain;

/// <summary>
/// A count series as the detectors see it: observed counts at regular steps, optionally the calendar date of each
/// step (the Monday of the week for weekly series), and the number of steps per year.
/// </summary>
internal sealed class CountSeries
{
    public CountSeries(double[] observed, int frequency = 52, DateOnly[]? dates = null)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (frequency < 1)
        {
            throw new ArgumentException($"frequency must be at least 1 (got {frequency})", nameof(frequency));
        }

        if (dates is not null && dates.Length != observed.Length)
        {
            throw new ArgumentException($"dates has {dates.Length} entries but observed has {observed.Length}", nameof(dates));
        }

        foreach (double y in observed)
        {
            if (!(y >= 0) || double.IsInfinity(y))
            {
                throw new ArgumentException($"observed counts must be finite and non-negative (got {y})", nameof(observed));
            }
        }

        Observed = observed;
        Frequency = frequency;
        Dates = dates;
    }

    public double[] Observed { get; }

    public int Frequency { get; }

    /// <summary>Calendar dates of the steps, or null when the series is indexed by week number only.</summary>
    public DateOnly[]? Dates { get; }

    public int Length => Observed.Length;
}
