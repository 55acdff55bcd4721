using System.Globalization;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Surveillance.Features.OfflineDetection;
using OpenHip.Modules.Surveillance.Features.Series;

namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>
/// Applies the alert rules to a batch's new cases, so the alerts they raise are written in the same changeset as the
/// cases (a batch handed over again finds its cases stored, raises nothing new, and loses nothing). Alert ids derive
/// from what raised them; a county already signalled by a rule for a disease within the rule's window is not signalled
/// by it again. Counts include the batch's own increments, which are not stored yet.
/// </summary>
internal sealed class AlertPlanner(SearchService search, SeriesReader series, DetectorCatalog detectors, IOptions<SurveillanceOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<SurveillanceAlert>> PlanAsync(IReadOnlyList<PlannedCase> cases, IReadOnlyDictionary<CountKey, int> deltas, CancellationToken ct)
    {
        var alerts = new List<SurveillanceAlert>();
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyList<AlertRule> rules = options.Value.EffectiveAlertRules;
        foreach (AlertRule rule in rules.Where(r => r.Kind != "combined"))
        {
            IEnumerable<PlannedCase> watched = cases.Where(c => c.Stream == rule.Stream
                && (rule.Diseases.Count == 0 ? rule.Kind != "single-case" || c.HighPriority : rule.Diseases.Contains(c.Disease)));
            if (rule.Kind == "single-case")
            {
                alerts.AddRange(watched.Select(c => SurveillanceAlert.Of(
                    rule, c.Disease, c.County, c.Day, [c.CaseId], now, $"A case of {c.DiseaseName} ({c.Disease}) in county {c.County} on {Iso(c.Day)}")));
                continue;
            }

            foreach (IGrouping<(string Disease, string County), PlannedCase> area in watched.GroupBy(c => (c.Disease, c.County)))
            {
                DateOnly day = area.Max(c => c.Day);
                if (await SignalledAsync(rule, area.Key.Disease, area.Key.County, day.AddDays(1 - rule.Days), ct).ConfigureAwait(false))
                {
                    continue;
                }

                string? finding = rule.Kind == "cluster"
                    ? await ClusterAsync(rule, area.Key, day, deltas, ct).ConfigureAwait(false)
                    : await AberrationAsync(rule, area.Key, day, deltas, ct).ConfigureAwait(false);
                if (finding is not null)
                {
                    alerts.Add(SurveillanceAlert.Of(rule, area.Key.Disease, area.Key.County, day, [.. area.Select(c => c.CaseId).Distinct()], now,
                        $"{finding}{StreamText(rule)} of {area.First().DiseaseName} ({area.Key.Disease}) in county {area.Key.County} (rule {rule.Id})"));
                }
            }
        }

        foreach (AlertRule rule in rules.Where(r => r.Kind == "combined"))
        {
            // Any increment may complete a combination: a lab-positive aberration together with a case cluster, say.
            foreach (IGrouping<(string Disease, string County), PlannedCase> area in cases.Where(c => rule.Diseases.Count == 0 || rule.Diseases.Contains(c.Disease)).GroupBy(c => (c.Disease, c.County)))
            {
                DateOnly day = area.Max(c => c.Day);
                DateOnly since = day.AddDays(1 - rule.Days);
                if (await SignalledAsync(rule, area.Key.Disease, area.Key.County, since, ct).ConfigureAwait(false)
                    || !await AllSignalledAsync(rule, area.Key, since, alerts, ct).ConfigureAwait(false))
                {
                    continue;
                }

                alerts.Add(SurveillanceAlert.Of(rule, area.Key.Disease, area.Key.County, day, [.. area.Select(c => c.CaseId).Distinct()], now,
                    $"{string.Join(" and ", rule.Rules)} together for {area.First().DiseaseName} ({area.Key.Disease}) in county {area.Key.County} within {rule.Days} days (rule {rule.Id})"));
            }
        }

        return alerts;
    }

    private async Task<string?> ClusterAsync(AlertRule rule, (string Disease, string County) area, DateOnly day, IReadOnlyDictionary<CountKey, int> deltas, CancellationToken ct)
    {
        DateOnly from = day.AddDays(1 - rule.Days);
        int cases = (await DailyAsync(area, rule.Stream, from, day, deltas, ct).ConfigureAwait(false)).Sum();
        return cases >= rule.Cases ? $"{cases} cases between {Iso(from)} and {Iso(day)} ({rule.Cases} in {rule.Days} days)" : null;
    }

    private async Task<string?> AberrationAsync(AlertRule rule, (string Disease, string County) area, DateOnly day, IReadOnlyDictionary<CountKey, int> deltas, CancellationToken ct)
    {
        DateOnly from = day.AddDays(-rule.BaselineDays);
        int[] daily = await DailyAsync(area, rule.Stream, from, day, deltas, ct).ConfigureAwait(false);
        var parameters = new DetectorParameters([.. rule.Parameters, .. rule.Parameters.Any(p => p.StartsWith("frequency=", StringComparison.Ordinal)) ? Array.Empty<string>() : ["frequency=365"]]);
        DetectionResult result;
        try
        {
            result = detectors.Run(rule.Algorithm, parameters, new CountSeries([.. daily.Select(d => (double)d)], DetectorCatalog.Frequency(parameters)));
        }
        catch (ArgumentException)
        {
            // A series too short for the algorithm's baseline judges nothing.
            return null;
        }

        return result.Alarm[^1] == true
            ? string.Create(CultureInfo.InvariantCulture, $"{daily[^1]} cases on {Iso(day)}, above the {rule.Algorithm} upper bound {result.UpperBound[^1]:0.##}")
            : null;
    }

    /// <summary>Counts per day from <paramref name="from"/> to <paramref name="to"/>, stored counts plus the batch's increments.</summary>
    private async Task<int[]> DailyAsync((string Disease, string County) area, string stream, DateOnly from, DateOnly to, IReadOnlyDictionary<CountKey, int> deltas, CancellationToken ct)
    {
        Dictionary<DateOnly, int> stored = await series.ReadDailyAsync(
            new SeriesQuery(area.Disease, area.County, from, to, SeriesGranularity.Day, null, null, null, [], false, stream), ct).ConfigureAwait(false);
        var daily = new int[to.DayNumber - from.DayNumber + 1];
        for (int i = 0; i < daily.Length; i++)
        {
            DateOnly day = from.AddDays(i);
            daily[i] = stored.GetValueOrDefault(day) + deltas.Where(d => d.Key.Disease == area.Disease && d.Key.County == area.County && d.Key.Day == day && d.Key.Stream == stream).Sum(d => d.Value);
        }

        return daily;
    }

    private async Task<bool> AllSignalledAsync(AlertRule combined, (string Disease, string County) area, DateOnly since, List<SurveillanceAlert> raisedNow, CancellationToken ct)
    {
        foreach (string id in combined.Rules)
        {
            string key = SurveillanceAlert.SignalKey(id, area.Disease, area.County);
            bool now = raisedNow.Any(a => a.Signal.Identifier.Any(i => i.System == AlertCodes.SignalIdentifierSystem && i.Value == key));
            if (!now && !await SignalledAsync(id, area.Disease, area.County, since, ct).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private Task<bool> SignalledAsync(AlertRule rule, string disease, string county, DateOnly since, CancellationToken ct) =>
        SignalledAsync(rule.Id, disease, county, since, ct);

    private async Task<bool> SignalledAsync(string rule, string disease, string county, DateOnly since, CancellationToken ct)
    {
        SearchResult result = await search.SearchAsync(
            SearchScope.ForType("DetectedIssue"),
            [
                new("identifier", AlertCodes.SignalIdentifierSystem + "|" + SurveillanceAlert.SignalKey(rule, disease, county)),
                new("identified", "ge" + Iso(since)),
                new("_count", "1"),
            ],
            SearchHandling.Strict,
            AccessPolicy.Unrestricted,
            ct).ConfigureAwait(false);
        return result.Page.Resources.Count > 0;
    }

    private static string Iso(DateOnly day) => DetectedCase.Iso(day);

    private static string StreamText(AlertRule rule) => rule.Stream == CountStreams.Cases ? string.Empty : $" ({rule.Stream} count)";
}
