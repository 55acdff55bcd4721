using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>
/// <c>[base]/$surveillance-series</c>: the count series of a disease in an area (county, city, province or the whole
/// region) per day or ISO week, optionally by age group and sex, from the stored daily counts; with <c>algorithm</c>
/// (and <c>param=k=v</c> controls, as the offline command) each step's upper bound and alarm. Parameters by default,
/// CSV with <c>_format=csv</c> or <c>Accept: text/csv</c>. Weekly, city and province figures are summed at query time.
/// </summary>
internal sealed class SurveillanceSeriesOperation(SeriesReader reader, Definitions.CaseDefinitionSource definitions, DetectorCatalog detectors) : IFhirOperation
{
    public string Name => "surveillance-series";

    public OperationLevel Levels => OperationLevel.System;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/surveillance-series";

    public bool IsIdempotent => true;

    /// <summary>Aggregate counts only (no patient data), read without instance filtering: a MeasureReport search right.</summary>
    public OperationAccess Access { get; } = new(["MeasureReport"], AccessRights.Search);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        CaseDefinitionCatalog catalog = (await definitions.CurrentAsync(cancellationToken).ConfigureAwait(false)).Catalog;
        SeriesQuery query = SeriesRequestParser.Parse(request, catalog);
        Dictionary<DateOnly, int> daily = await reader.ReadDailyAsync(query, cancellationToken).ConfigureAwait(false);
        List<SeriesPoint> points = SeriesSteps.Bucket(query, daily);
        if (query.Algorithm is not null)
        {
            points = SeriesSteps.Detect(detectors, query, points);
        }

        if (query.Csv)
        {
            return new OperationResult(200, new Binary { ContentType = "text/csv; charset=utf-8", Data = SeriesOutput.ToCsv(points) }) { Raw = true };
        }

        return new OperationResult(200, SeriesOutput.ToParameters(query, points));
    }
}
