using System.Globalization;
using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance;
using OpenHip.Modules.Surveillance.Domain;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Domain.Counting;
using OpenHip.Modules.Surveillance.Domain.Evaluation;
using OpenHip.Modules.Surveillance.Features.CaseDetection;
using OpenHip.Modules.Synthetic;
using OpenHip.Modules.Synthetic.Region;

namespace OpenHip.Benchmarks.Surveillance.Evaluation;

/// <summary>
/// County × disease count series of synthetic regions, built in memory: every resident's records go through the
/// shipped case definitions (<see cref="EvidenceMatcher"/>, as the server's case detection), new cases are counted per
/// resident episode, and the generator's injected outbreaks (<see cref="OutbreakDefinition"/>) label the steps of their
/// county and disease. Only the diseases the generator injects outbreaks of are scored: the others (seasonal ILI
/// above all) have epidemics nobody labelled, so their alarms could be neither true nor false.
/// </summary>
internal static class RegionSeries
{
    /// <summary>The scored last year: days and weeks before the reference date; the rest is history for the baselines.</summary>
    private const int MonitoredDays = 365;

    private const int MonitoredWeeks = 52;

    public static (List<LabelledSeries> Daily, List<LabelledSeries> Weekly, int Outbreaks) Build(IEnumerable<SyntheticRegionOptions> regions)
    {
        var catalog = CaseDefinitionCatalog.Load(new SurveillanceOptions());
        var matcher = new EvidenceMatcher(catalog.Definitions, url => throw new InvalidOperationException($"no value sets in the harness ({url})"));
        List<LabelledSeries> daily = [], weekly = [];
        int outbreaks = 0;
        foreach (SyntheticRegionOptions options in regions)
        {
            var generator = new SyntheticRegionGenerator(options);
            var labels = generator.Outbreaks.Select(o => (Disease: DiseaseOf(matcher, o.DiseaseCode), Outbreak: o)).ToList();
            HashSet<string> diseases = [.. labels.Select(l => l.Disease)];
            outbreaks += labels.Count;
            Dictionary<(string County, string Disease), Dictionary<DateOnly, int>> counts = Count(generator, matcher, diseases);
            DateOnly last = options.ReferenceDate;
            DateOnly first = last.AddYears(-options.HistoryYears).AddDays(1);
            string tag = string.Create(CultureInfo.InvariantCulture, $"region seed {options.Seed} ({options.Patients} residents)");
            foreach (string county in Geography.Counties.Select(c => c.Code))
            {
                foreach (string disease in diseases)
                {
                    Dictionary<DateOnly, int> days = counts.GetValueOrDefault((county, disease)) ?? [];
                    (DateOnly, DateOnly)[] periods = [.. labels.Where(l => l.Disease == disease && l.Outbreak.DivisionCode == county)
                        .Select(l => (l.Outbreak.Start, l.Outbreak.End))];
                    daily.Add(Daily($"{tag} {county} {disease} day", days, periods, first, last));
                    weekly.Add(Weekly($"{tag} {county} {disease} week", days, periods, first, last));
                }
            }
        }

        return (daily, weekly, outbreaks);
    }

    private static LabelledSeries Daily(string name, Dictionary<DateOnly, int> counts, (DateOnly, DateOnly)[] periods, DateOnly first, DateOnly last)
    {
        DateOnly[] dates = [.. Days(first, last)];
        double[] observed = [.. dates.Select(d => (double)counts.GetValueOrDefault(d))];
        bool[] outbreak = OutbreakSteps.Label(dates, 1, periods);
        return new LabelledSeries(name, new CountSeries(observed, 365, dates), outbreak, new MonitoredRange(dates.Length - MonitoredDays + 1, dates.Length), 1);
    }

    /// <summary>ISO weeks (Monday–Sunday) from the first whole week to the last whole week before the reference date.</summary>
    private static LabelledSeries Weekly(string name, Dictionary<DateOnly, int> counts, (DateOnly, DateOnly)[] periods, DateOnly first, DateOnly last)
    {
        DateOnly monday = first.AddDays((7 - (((int)first.DayOfWeek + 6) % 7)) % 7);
        var mondays = new List<DateOnly>();
        for (DateOnly m = monday; m.AddDays(6) <= last; m = m.AddDays(7))
        {
            mondays.Add(m);
        }

        double[] observed = [.. mondays.Select(m => (double)Days(m, m.AddDays(6)).Sum(d => counts.GetValueOrDefault(d)))];
        bool[] outbreak = OutbreakSteps.Label(mondays, 7, periods);
        return new LabelledSeries(name, new CountSeries(observed, 52, [.. mondays]), outbreak, new MonitoredRange(mondays.Count - MonitoredWeeks + 1, mondays.Count), 7);
    }

    /// <summary>New cases per county, disease and day: one per resident episode, as case detection counts them.</summary>
    private static Dictionary<(string, string), Dictionary<DateOnly, int>> Count(SyntheticRegionGenerator generator, EvidenceMatcher matcher, HashSet<string> diseases)
    {
        TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var recorded = new DateTimeOffset(generator.Options.ReferenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var counts = new Dictionary<(string, string), Dictionary<DateOnly, int>>();
        foreach (ResidentHistory resident in generator.GenerateResidents())
        {
            string county = AreaCode.Unknown;
            var evidence = new List<CaseEvidence>();
            foreach (Resource? resource in resident.Bundle.Entry.Select(e => e.Resource))
            {
                if (resource is Patient patient && county == AreaCode.Unknown)
                {
                    county = AreaCode.CountyOf(CaseDetector.DivisionCode(patient));
                }

                // Bundle references are urn:uuid:; one resident is one Patient here (a perfect MPI), so any id will do.
                ResourceReference subject = new("Patient/" + resident.ResidentKey);
                switch (resource)
                {
                    case Condition condition:
                        condition.Subject = subject;
                        break;
                    case Observation observation:
                        observation.Subject = subject;
                        break;
                    case Encounter encounter:
                        encounter.Subject = subject;
                        break;
                    default:
                        continue;
                }

                evidence.AddRange(matcher.Match(resource, recorded, zone).Where(e => diseases.Contains(e.Definition.Id)));
            }

            foreach (IGrouping<CaseDefinition, CaseEvidence> disease in evidence.GroupBy(e => e.Definition))
            {
                var cases = new List<DateOnly>();
                foreach (DateOnly day in disease.Select(e => e.Date).Order())
                {
                    if (cases.All(c => Math.Abs(c.DayNumber - day.DayNumber) >= disease.Key.EpisodeDays))
                    {
                        cases.Add(day);
                    }
                }

                if (!counts.TryGetValue((county, disease.Key.Id), out Dictionary<DateOnly, int>? days))
                {
                    counts[(county, disease.Key.Id)] = days = [];
                }

                foreach (DateOnly day in cases)
                {
                    days[day] = days.GetValueOrDefault(day) + 1;
                }
            }
        }

        return counts;
    }

    /// <summary>The case definition an injected outbreak's diagnosis code falls under.</summary>
    private static string DiseaseOf(EvidenceMatcher matcher, string icd10)
    {
        var probe = new Condition
        {
            Subject = new ResourceReference("Patient/probe"),
            Code = new CodeableConcept("http://hl7.org/fhir/sid/icd-10", icd10),
            Onset = new FhirDateTime("2026-01-01"),
        };
        return matcher.Match(probe, DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc).Single().Definition.Id;
    }

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (DateOnly d = first; d <= last; d = d.AddDays(1))
        {
            yield return d;
        }
    }
}
