using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// One stored daily count as a summary <c>MeasureReport</c>: period = the day, group.code = disease,
/// group.population[initial-population].count = cases, the stratum extension (county, age group, sex), and one
/// identifier per area level it rolls up to (county, city, province, "*" = region) so a series at any level is one token
/// search. Evidence-stream counts carry the stream in the stratum; a count without one is a case count.
/// </summary>
internal static class DailyCount
{
    public static MeasureReport ToResource(CountKey key, int count)
    {
        string day = DetectedCase.Iso(key.Day);
        var report = new MeasureReport
        {
            Id = key.ResourceId,
            Meta = new Meta { Tag = [new Coding(SurveillanceCodes.TagSystem, "daily-count")] },
            Status = MeasureReport.MeasureReportStatus.Complete,
            Type = MeasureReport.MeasureReportType.Summary,
            Measure = SurveillanceCodes.CountMeasure,
            Period = new Period(new FhirDateTime(day), new FhirDateTime(day)),
            Identifier =
            [
                AreaIdentifier(key.Disease, key.County),
                AreaIdentifier(key.Disease, AreaCode.CityOf(key.County)),
                AreaIdentifier(key.Disease, AreaCode.ProvinceOf(key.County)),
                AreaIdentifier(key.Disease, "*"),
            ],
            Group =
            [
                new MeasureReport.GroupComponent
                {
                    Code = new CodeableConcept(SurveillanceCodes.DiseaseSystem, key.Disease),
                    Population = [new MeasureReport.PopulationComponent { Code = new CodeableConcept("http://terminology.hl7.org/CodeSystem/measure-population", "initial-population"), Count = count }],
                },
            ],
        };
        var stratum = new Extension { Url = SurveillanceCodes.StratumExtension };
        stratum.AddExtension("county", new Code(key.County));
        stratum.AddExtension("ageGroup", new Code(key.AgeGroup));
        stratum.AddExtension("sex", new Code(key.Sex));
        if (key.Stream != CountStreams.Cases)
        {
            stratum.AddExtension("stream", new Code(key.Stream));
        }

        report.Extension.Add(stratum);
        return report;
    }

    /// <summary>The stored count and stratum, or null when the report is not one of ours.</summary>
    public static (CountKey Key, int Count)? Read(MeasureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Extension? stratum = report.GetExtension(SurveillanceCodes.StratumExtension);
        string? disease = report.Group.FirstOrDefault()?.Code?.Coding.FirstOrDefault()?.Code;
        int? count = report.Group.FirstOrDefault()?.Population.FirstOrDefault()?.Count;
        DateOnly? day = DetectedCase.AnchorOf(new EpisodeOfCare { Period = report.Period });
        string? county = (stratum?.GetExtensionValue<Code>("county"))?.Value;
        string? age = (stratum?.GetExtensionValue<Code>("ageGroup"))?.Value;
        string? sex = (stratum?.GetExtensionValue<Code>("sex"))?.Value;
        string stream = (stratum?.GetExtensionValue<Code>("stream"))?.Value ?? CountStreams.Cases;
        if (disease is null || count is null || day is null || county is null || age is null || sex is null)
        {
            return null;
        }

        return (new CountKey(disease, county, day.Value, age, sex, stream), count.Value);
    }

    private static Identifier AreaIdentifier(string disease, string area) => new(SurveillanceCodes.CountAreaSystem, SurveillanceCodes.AreaToken(disease, area));
}
