using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>
/// Applies the alert rules to a batch's new cases, so the alerts they raise are written in the same changeset as the
/// cases (a batch handed over again finds its cases stored, raises nothing new, and loses nothing). Alert ids derive
/// from what raised them; a cluster already signalled for a county within the rule's window is not signalled again.
/// </summary>
internal sealed class AlertPlanner(SearchService search, SeriesReader series, IOptions<SurveillanceOptions> options, TimeProvider time)
{
    /// <param name="deltas">The batch's count increments, not yet stored: cluster sizes include them.</param>
    public async Task<IReadOnlyList<SurveillanceAlert>> PlanAsync(IReadOnlyList<PlannedCase> cases, IReadOnlyDictionary<CountKey, int> deltas, CancellationToken ct)
    {
        var alerts = new List<SurveillanceAlert>();
        DateTimeOffset now = time.GetUtcNow();
        foreach (AlertRule rule in options.Value.EffectiveAlertRules)
        {
            IEnumerable<PlannedCase> watched = cases.Where(c => rule.Diseases.Count == 0 ? rule.Kind != "single-case" || c.HighPriority : rule.Diseases.Contains(c.Disease));
            if (rule.Kind == "single-case")
            {
                alerts.AddRange(watched.Select(c => SurveillanceAlert.Of(
                    rule, c.Disease, c.County, c.Day, [c.CaseId], now, $"A case of {c.DiseaseName} ({c.Disease}) in county {c.County} on {Iso(c.Day)}")));
                continue;
            }

            foreach (IGrouping<(string Disease, string County), PlannedCase> area in watched.GroupBy(c => (c.Disease, c.County)))
            {
                DateOnly day = area.Max(c => c.Day);
                DateOnly from = day.AddDays(1 - rule.Days);
                int stored = (await series.ReadDailyAsync(
                    new SeriesQuery(area.Key.Disease, area.Key.County, from, day, SeriesGranularity.Day, null, null, null, [], false), ct).ConfigureAwait(false)).Values.Sum();
                int added = deltas.Where(d => d.Key.Disease == area.Key.Disease && d.Key.County == area.Key.County && d.Key.Day >= from && d.Key.Day <= day).Sum(d => d.Value);
                if (stored + added < rule.Cases || await SignalledAsync(rule, area.Key.Disease, area.Key.County, from, ct).ConfigureAwait(false))
                {
                    continue;
                }

                alerts.Add(SurveillanceAlert.Of(
                    rule, area.Key.Disease, area.Key.County, day, [.. area.Select(c => c.CaseId)], now,
                    $"{stored + added} cases of {area.First().DiseaseName} ({area.Key.Disease}) in county {area.Key.County} between {Iso(from)} and {Iso(day)} (rule {rule.Id}: {rule.Cases} in {rule.Days} days)"));
            }
        }

        return alerts;
    }

    private async Task<bool> SignalledAsync(AlertRule rule, string disease, string county, DateOnly since, CancellationToken ct)
    {
        SearchResult result = await search.SearchAsync(
            SearchScope.ForType("DetectedIssue"),
            [
                new("identifier", AlertCodes.SignalIdentifierSystem + "|" + SurveillanceAlert.SignalKey(rule.Id, disease, county)),
                new("identified", "ge" + Iso(since)),
                new("_count", "1"),
            ],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            ct).ConfigureAwait(false);
        return result.Page.Resources.Count > 0;
    }

    private static string Iso(DateOnly day) => DetectedCase.Iso(day);
}
