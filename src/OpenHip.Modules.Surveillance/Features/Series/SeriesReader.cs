using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;

namespace OpenHip.Modules.Surveillance.Features.Series;

/// <summary>
/// Daily totals of the stored counts for one disease and area at any level, summed over the strata that match the
/// age-group and sex filters, in the query's count stream. One token search on the area identifier every count carries per level, paged.
/// </summary>
internal sealed class SeriesReader(SearchService search)
{
    private const int PageSize = 1000;

    public async Task<Dictionary<DateOnly, int>> ReadDailyAsync(SeriesQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var totals = new Dictionary<DateOnly, int>();
        string? cursor = null;
        do
        {
            List<KeyValuePair<string, string>> parameters =
            [
                new("identifier", SurveillanceCodes.CountAreaSystem + "|" + SurveillanceCodes.AreaToken(query.Disease, query.Area ?? "*")),
                new("period", "ge" + DetectedCase.Iso(query.Start)),
                new("period", "le" + DetectedCase.Iso(query.End)),
                new("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ];
            if (cursor is not null)
            {
                parameters.Add(new("_cursor", cursor));
            }

            SearchResult result = await search.SearchAsync(SearchScope.ForType("MeasureReport"), parameters, SearchHandling.Strict, AccessPolicy.Unrestricted, ct).ConfigureAwait(false);
            foreach (StoredResource stored in result.Page.Resources)
            {
                if (FhirCodec.ParseStored(stored.Json.Span) is MeasureReport report
                    && DailyCount.Read(report) is ({ } key, int count)
                    && key.Stream == query.Stream
                    && key.Day >= query.Start && key.Day <= query.End
                    && (query.AgeGroup is null || key.AgeGroup == query.AgeGroup)
                    && (query.Sex is null || key.Sex == query.Sex))
                {
                    totals[key.Day] = totals.GetValueOrDefault(key.Day) + count;
                }
            }

            cursor = result.Page.NextCursor;
        }
        while (cursor is not null);

        return totals;
    }
}
