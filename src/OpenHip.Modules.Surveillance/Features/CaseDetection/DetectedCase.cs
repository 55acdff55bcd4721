using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// A detected case stored as an <c>EpisodeOfCare</c>: type = disease, patient = the Patient whose record made it,
/// period = the episode window from the case date, and the surveillance-case extension with the resident (golden
/// Person or Patient), stratum, basis, evidence and the daily count it was added to.
/// </summary>
internal sealed record DetectedCase(string Id, CaseEvidence Evidence, string ResidentKey, CountKey Count, string EvidenceReference)
{
    public DateOnly Anchor => Count.Day;

    public EpisodeOfCare ToResource()
    {
        CaseDefinition definition = Evidence.Definition;
        var episode = new EpisodeOfCare
        {
            Id = Id,
            Meta = new Meta { Tag = [new Coding(SurveillanceCodes.TagSystem, "case")] },
            Status = EpisodeOfCare.EpisodeOfCareStatus.Active,
            Type = [new CodeableConcept(SurveillanceCodes.DiseaseSystem, definition.Id, definition.Name)],
            Patient = new ResourceReference("Patient/" + Evidence.PatientId),
            Period = new Period(new FhirDateTime(Iso(Anchor)), new FhirDateTime(Iso(Anchor.AddDays(definition.EpisodeDays - 1)))),
        };
        var extension = new Extension { Url = SurveillanceCodes.CaseExtension };
        extension.AddExtension("resident", new ResourceReference(ResidentKey));
        extension.AddExtension("county", new Code(Count.County));
        extension.AddExtension("ageGroup", new Code(Count.AgeGroup));
        extension.AddExtension("sex", new Code(Count.Sex));
        extension.AddExtension("basis", new Code(Evidence.Basis.ToString().ToLowerInvariant()));
        extension.AddExtension("evidence", new ResourceReference(EvidenceReference));
        extension.AddExtension("count", new ResourceReference("MeasureReport/" + Count.ResourceId));
        episode.Extension.Add(extension);
        return episode;
    }

    /// <summary>The episode start of a stored case (its period start).</summary>
    public static DateOnly? AnchorOf(EpisodeOfCare episode) =>
        episode.Period?.Start is { Length: >= 10 } start && DateOnly.TryParseExact(start[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly day) ? day : null;

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
