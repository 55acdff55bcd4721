namespace OpenHip.Modules.Surveillance.Domain.Algorithms;

/// <summary>
/// CUSUM on standardised counts x = (y − m)/√m (Rossi et al. 1999): S_t = max(0, S_{t−1} + x_t − k), alarm when
/// S_t ≥ h. The sum is not reset after an alarm. The bound is the smallest whole count that would raise an alarm.
/// </summary>
internal static class Cusum
{
    public static DetectionResult Detect(CountSeries series, CusumOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MonitoredRange range = options.Range ?? new MonitoredRange(2, series.Length);
        range.Validate(series.Length, options.M is null ? 2 : 1, "cusum");
        double m = options.M ?? series.Observed.Take(range.First - 1).Average();
        if (!(m > 0))
        {
            throw new ArgumentException("cusum: the counts before the range are all zero, so the in-control mean m cannot be estimated; give m");
        }

        double sd = Math.Sqrt(m);
        var result = new DetectionResult(series.Length);
        double sum = 0;
        for (int t0 = range.First - 1; t0 < range.Last; t0++)
        {
            // Smallest y with S_{t−1} + (y − m)/√m − k ≥ h.
            result.UpperBound[t0] = Math.Max(0, Math.Ceiling(((options.H + options.K - sum) * sd) + m));
            sum = Math.Max(0, sum + ((series.Observed[t0] - m) / sd) - options.K);
            result.Alarm[t0] = sum >= options.H;
        }

        return result;
    }
}
