using Hl7.Fhir.Model;
using OpenHip.Modules.Surveillance.Domain.CaseDefinitions;
using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>
/// A detected case stored as an <c>EpisodeOfCare</c>: type = disease, patient = the Patient whose record made it,
/// period = the episode window from the case date, and the surveillance-case extension with the resident (golden
/// Person or Patient), stratum, basis, evidence and the daily count it was added to. Each later record of another kind
/// of evidence in the episode adds one more basis and evidence (<see cref="CountStreams"/>).
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
        extension.AddExtension("basis", new Code(CountStreams.Of(Evidence.Basis)));
        extension.AddExtension("evidence", new ResourceReference(EvidenceReference));
        extension.AddExtension("count", new ResourceReference("MeasureReport/" + Count.ResourceId));
        episode.Extension.Add(extension);
        return episode;
    }

    /// <summary>Records on a case a further kind of evidence, by the record that first gave it.</summary>
    public static void AddEvidence(EpisodeOfCare episode, string stream, string reference)
    {
        Extension extension = episode.GetExtension(SurveillanceCodes.CaseExtension)
            ?? throw new InvalidOperationException($"EpisodeOfCare/{episode.Id} is not a surveillance case");
        extension.AddExtension("basis", new Code(stream));
        extension.AddExtension("evidence", new ResourceReference(reference));
    }

    /// <summary>The evidence streams a stored case counts in, and the stratum of its case count.</summary>
    public static (HashSet<string> Streams, CountKey Count)? Read(EpisodeOfCare episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        Extension? extension = episode.GetExtension(SurveillanceCodes.CaseExtension);
        string? disease = episode.Type.FirstOrDefault()?.Coding.FirstOrDefault(c => c.System == SurveillanceCodes.DiseaseSystem)?.Code;
        string? county = (extension?.GetExtensionValue<Code>("county"))?.Value;
        string? age = (extension?.GetExtensionValue<Code>("ageGroup"))?.Value;
        string? sex = (extension?.GetExtensionValue<Code>("sex"))?.Value;
        if (extension is null || disease is null || county is null || age is null || sex is null || AnchorOf(episode) is not { } anchor)
        {
            return null;
        }

        HashSet<string> streams = [.. extension.Extension.Where(e => e.Url == "basis").Select(e => (e.Value as Code)?.Value).OfType<string>()];
        return (streams, new CountKey(disease, county, anchor, age, sex));
    }

    /// <summary>The episode start of a stored case (its period start).</summary>
    public static DateOnly? AnchorOf(EpisodeOfCare episode) =>
        episode.Period?.Start is { Length: >= 10 } start && DateOnly.TryParseExact(start[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly day) ? day : null;

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
