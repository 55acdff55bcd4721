using System.Globalization;
using OpenHip.Fhir.Errors;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>The steps of a served series and the detector run over them, shared by the series and backtest operations.</summary>
internal static class SeriesSteps
{
    /// <summary>Steps per year of a granularity: the detectors' default <c>frequency</c> and the backtest's area-years.</summary>
    public static int StepsPerYear(SeriesGranularity granularity) => granularity == SeriesGranularity.Day ? 365 : 52;

    /// <summary>The last day of the step that starts on <paramref name="period"/>.</summary>
    public static DateOnly LastDay(SeriesGranularity granularity, DateOnly period) => granularity == SeriesGranularity.Day ? period : period.AddDays(6);

    /// <summary>One point per day or ISO week from <see cref="SeriesQuery.Start"/> to <see cref="SeriesQuery.End"/>, days without a count as 0.</summary>
    public static List<SeriesPoint> Bucket(SeriesQuery query, IReadOnlyDictionary<DateOnly, int> daily)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(daily);
        var points = new List<SeriesPoint>();
        int step = query.Granularity == SeriesGranularity.Day ? 1 : 7;
        for (DateOnly day = query.Start; day <= query.End; day = day.AddDays(step))
        {
            int observed = 0;
            for (int i = 0; i < step; i++)
            {
                observed += daily.GetValueOrDefault(day.AddDays(i));
            }

            string label = step == 1
                ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}");
            points.Add(new SeriesPoint(day, label, observed, double.NaN, null));
        }

        return points;
    }

    /// <summary>The algorithm's bound and alarm on every step; an unknown algorithm or control, or too short a series, is a 400.</summary>
    public static List<SeriesPoint> Detect(DetectorCatalog detectors, SeriesQuery query, List<SeriesPoint> points)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        ArgumentNullException.ThrowIfNull(query);
        var pairs = new List<string>(query.AlgorithmParameters);
        if (!pairs.Any(p => p.StartsWith("frequency=", StringComparison.Ordinal)))
        {
            // Steps per year of the served series; the offline command's default (52) is for weekly data only.
            pairs.Add(string.Create(CultureInfo.InvariantCulture, $"frequency={StepsPerYear(query.Granularity)}"));
        }

        try
        {
            var parameters = new DetectorParameters(pairs);
            var series = new CountSeries([.. points.Select(p => (double)p.Observed)], DetectorCatalog.Frequency(parameters), [.. points.Select(p => p.Period)]);
            DetectionResult result = detectors.Run(query.Algorithm!, parameters, series);
            return [.. points.Select((p, i) => p with { UpperBound = result.UpperBound[i], Alarm = result.Alarm[i] })];
        }
        catch (ArgumentException ex)
        {
            // Unknown algorithm or control, or a series too short for the algorithm's baseline: the caller's input.
            throw FhirException.BadRequest(ex.Message, "algorithm");
        }
    }
}
