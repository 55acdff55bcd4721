using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Surveillance.Domain.Evaluation;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Backtest;

/// <summary>
/// <c>[base]/$surveillance-backtest</c>: runs an algorithm over the stored history of one series (the selection of
/// <c>$surveillance-series</c>: one disease, one area at any level) and scores its alarms against labelled outbreaks
/// (<see cref="BacktestScoring"/>): sensitivity, specificity, outbreaks detected, mean delay and false alarms per
/// area-year. Read-only; bad input is a 400 and nothing is written.
/// </summary>
internal sealed class SurveillanceBacktestOperation(SeriesReader reader, Definitions.CaseDefinitionSource definitions, DetectorCatalog detectors) : IFhirOperation
{
    public string Name => "surveillance-backtest";

    public OperationLevel Levels => OperationLevel.System;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/surveillance-backtest";

    public bool IsIdempotent => true;

    /// <summary>The same aggregate counts as <c>$surveillance-series</c>, so the same right.</summary>
    public OperationAccess Access { get; } = new(["MeasureReport"], AccessRights.Search);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        // Parsed in full (outbreaks included) before anything is read, so bad input costs no query.
        CaseDefinitionCatalog catalog = (await definitions.CurrentAsync(cancellationToken).ConfigureAwait(false)).Catalog;
        BacktestRequest backtest = BacktestRequestParser.Parse(request, catalog);
        SeriesQuery query = backtest.Query;
        Dictionary<DateOnly, int> daily = await reader.ReadDailyAsync(query, cancellationToken).ConfigureAwait(false);
        List<SeriesPoint> points = SeriesSteps.Detect(detectors, query, SeriesSteps.Bucket(query, daily));
        bool[] inOutbreak = OutbreakSteps.Label(
            [.. points.Select(p => p.Period)],
            query.Granularity == SeriesGranularity.Day ? 1 : 7,
            backtest.Outbreaks.Where(o => o.AppliesTo(query.Area)).Select(o => (o.Start, o.End)));
        (BacktestScore score, IReadOnlyList<OutbreakRun> runs) = BacktestScoring.Score([.. points.Select(p => p.Alarm)], inOutbreak, SeriesSteps.StepsPerYear(query.Granularity));
        if (query.Csv)
        {
            return new OperationResult(200, new Binary { ContentType = "text/csv; charset=utf-8", Data = BacktestOutput.ToCsv(backtest, score) }) { Raw = true };
        }

        return new OperationResult(200, BacktestOutput.ToParameters(backtest, points, score, runs));
    }
}
