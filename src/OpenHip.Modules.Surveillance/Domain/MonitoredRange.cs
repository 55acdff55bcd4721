namespace OpenHip.Modules.Surveillance.Domain;

/// <summary>The 1-based, inclusive range of steps an algorithm evaluates, as R's <c>range</c> control.</summary>
internal readonly record struct MonitoredRange(int First, int Last)
{
    /// <summary>The given range, or <paramref name="earliest"/>..end, checked against the series.</summary>
    public static MonitoredRange Resolve(MonitoredRange? given, int length, int earliest, string algorithm)
    {
        MonitoredRange range = given ?? new MonitoredRange(earliest, length);
        range.Validate(length, earliest, algorithm);
        return range;
    }

    /// <summary>Checks the range against a series and the first step the algorithm has enough history for.</summary>
    public void Validate(int length, int earliest, string algorithm)
    {
        if (First < earliest)
        {
            throw new ArgumentException($"{algorithm}: the range must start at step {earliest} or later so that the baseline exists (got {First})");
        }

        if (Last < First || Last > length)
        {
            throw new ArgumentException($"{algorithm}: the range {First}..{Last} does not lie within the series of {length} steps");
        }
    }
}
