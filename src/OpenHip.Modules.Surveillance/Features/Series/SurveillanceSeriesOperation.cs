using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>
/// <c>[base]/$surveillance-series</c>: the count series of a disease in an area (county, city, province or the whole
/// region) per day or ISO week, optionally by age group and sex, from the stored daily counts; with <c>algorithm</c>
/// (and <c>param=k=v</c> controls, as the offline command) each step's upper bound and alarm. Parameters by default,
/// CSV with <c>_format=csv</c> or <c>Accept: text/csv</c>. Weekly, city and province figures are summed at query time.
/// </summary>
internal sealed class SurveillanceSeriesOperation(SeriesReader reader, CaseDefinitionCatalog catalog, DetectorCatalog detectors) : IFhirOperation
{
    public string Name => "surveillance-series";

    public OperationLevel Levels => OperationLevel.System;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/surveillance-series";

    public bool IsIdempotent => true;

    /// <summary>Aggregate counts only (no patient data), read without instance filtering: a MeasureReport search right.</summary>
    public OperationAccess Access { get; } = new(["MeasureReport"], AccessRights.Search);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        SeriesQuery query = SeriesRequestParser.Parse(request, catalog);
        Dictionary<DateOnly, int> daily = await reader.ReadDailyAsync(query, cancellationToken).ConfigureAwait(false);
        List<SeriesPoint> points = Bucket(query, daily);
        if (query.Algorithm is not null)
        {
            points = Detect(query, points);
        }

        if (query.Csv)
        {
            return new OperationResult(200, new Binary { ContentType = "text/csv; charset=utf-8", Data = SeriesOutput.ToCsv(points) }) { Raw = true };
        }

        return new OperationResult(200, SeriesOutput.ToParameters(query, points));
    }

    private static List<SeriesPoint> Bucket(SeriesQuery query, Dictionary<DateOnly, int> daily)
    {
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

    private List<SeriesPoint> Detect(SeriesQuery query, List<SeriesPoint> points)
    {
        var pairs = new List<string>(query.AlgorithmParameters);
        if (!pairs.Any(p => p.StartsWith("frequency=", StringComparison.Ordinal)))
        {
            // Steps per year of the served series; the offline command's default (52) is for weekly data only.
            pairs.Add(query.Granularity == SeriesGranularity.Day ? "frequency=365" : "frequency=52");
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
