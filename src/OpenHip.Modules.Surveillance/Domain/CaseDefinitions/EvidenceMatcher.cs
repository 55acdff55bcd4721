using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Surveillance.Domain.CaseDefinitions;

/// <summary>
/// Tests Conditions (diagnoses), Observations (positive lab results) and Encounters (syndromic groupings) against every
/// case definition. Records that were refuted, cancelled or entered in error are no evidence; records about anything but
/// a Patient are ignored (surveillance counts residents).
/// </summary>
internal sealed class EvidenceMatcher
{
    private readonly Compiled[] _definitions;

    public EvidenceMatcher(IReadOnlyList<CaseDefinition> definitions, Func<string, IReadOnlyCollection<CodeToken>> expandValueSet)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _definitions = [.. definitions.Select(d => new Compiled(d, expandValueSet))];
        WatchesConditions = _definitions.Any(d => d.Conditions.Length > 0);
        WatchesObservations = _definitions.Any(d => d.Labs.Length > 0);
        WatchesEncounters = _definitions.Any(d => d.Syndromes.Length > 0);
    }

    public bool WatchesConditions { get; }

    public bool WatchesObservations { get; }

    public bool WatchesEncounters { get; }

    public bool Watches(string type) => type switch
    {
        "Condition" => WatchesConditions,
        "Observation" => WatchesObservations,
        "Encounter" => WatchesEncounters,
        _ => false,
    };

    /// <summary>The evidence the resource gives, at most one per definition; <paramref name="recorded"/> dates records that carry no date of their own.</summary>
    public IReadOnlyList<CaseEvidence> Match(Resource resource, DateTimeOffset recorded, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource switch
        {
            Condition condition => MatchCondition(condition, recorded, zone),
            Observation observation => MatchObservation(observation, recorded, zone),
            Encounter encounter => MatchEncounter(encounter, recorded, zone),
            _ => [],
        };
    }

    private List<CaseEvidence> MatchCondition(Condition condition, DateTimeOffset recorded, TimeZoneInfo zone)
    {
        string? verification = condition.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        if (verification is "refuted" or "entered-in-error" || PatientId(condition.Subject) is not { } patient || condition.Code is null)
        {
            return [];
        }

        var found = new List<CaseEvidence>();
        foreach (Compiled definition in _definitions)
        {
            if (definition.Conditions.Any(c => c.MatchesAny(condition.Code)))
            {
                found.Add(new CaseEvidence(definition.Definition, CaseBasis.Diagnosis, patient, DateOf(condition, recorded, zone)));
            }
        }

        return found;
    }

    private List<CaseEvidence> MatchObservation(Observation observation, DateTimeOffset recorded, TimeZoneInfo zone)
    {
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled || PatientId(observation.Subject) is not { } patient || observation.Code is null)
        {
            return [];
        }

        var found = new List<CaseEvidence>();
        foreach (Compiled definition in _definitions)
        {
            foreach ((CodeMatcher test, PositiveResults positive) in definition.Labs)
            {
                if (test.MatchesAny(observation.Code) && IsPositive(observation, positive))
                {
                    DateOnly day = RegionDates.DayOf(EffectiveText(observation), zone) ?? RegionDates.DayOf(recorded, zone);
                    found.Add(new CaseEvidence(definition.Definition, CaseBasis.Laboratory, patient, day));
                    break;
                }
            }
        }

        return found;
    }

    private List<CaseEvidence> MatchEncounter(Encounter encounter, DateTimeOffset recorded, TimeZoneInfo zone)
    {
        if (encounter.Status is Encounter.EncounterStatus.Cancelled or Encounter.EncounterStatus.EnteredInError || PatientId(encounter.Subject) is not { } patient)
        {
            return [];
        }

        string complaint = string.Join(
            '\n',
            encounter.ReasonCode.SelectMany(r => r.Coding.Select(c => c.Display).Append(r.Text))
                .Concat(encounter.Type.SelectMany(t => t.Coding.Select(c => c.Display).Append(t.Text)))
                .OfType<string>());
        var found = new List<CaseEvidence>();
        foreach (Compiled definition in _definitions)
        {
            foreach (CompiledSyndrome syndrome in definition.Syndromes)
            {
                bool coded = syndrome.Reasons is not null && encounter.ReasonCode.Any(syndrome.Reasons.MatchesAny);
                if (coded || syndrome.Keywords.Any(k => complaint.Contains(k, StringComparison.OrdinalIgnoreCase)))
                {
                    DateOnly day = RegionDates.DayOf(encounter.Period?.Start, zone) ?? RegionDates.DayOf(recorded, zone);
                    found.Add(new CaseEvidence(definition.Definition, CaseBasis.Syndromic, patient, day));
                    break;
                }
            }
        }

        return found;
    }

    private static bool IsPositive(Observation observation, PositiveResults positive) => observation.Value switch
    {
        CodeableConcept concept when concept.Coding.Any(c => c.Code is not null && positive.ValueCodes.Contains(c.Code, StringComparer.Ordinal)) => true,
        CodeableConcept concept when concept.Text is { } text && IsPositiveWord(text, positive) => true,
        FhirString text when IsPositiveWord(text.Value, positive) => true,
        _ => observation.Interpretation.Any(i => i.Coding.Any(c => c.Code is not null && positive.InterpretationCodes.Contains(c.Code, StringComparer.Ordinal))),
    };

    private static bool IsPositiveWord(string? text, PositiveResults positive) =>
        text is not null && positive.Words.Any(w => string.Equals(w, text.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Onset (dateTime or period start), else recorded date, else when the record reached the server.</summary>
    private static DateOnly DateOf(Condition condition, DateTimeOffset recorded, TimeZoneInfo zone)
    {
        string? onset = condition.Onset switch
        {
            FhirDateTime dateTime => dateTime.Value,
            Period period => period.Start,
            _ => null,
        };
        return RegionDates.DayOf(onset, zone) ?? RegionDates.DayOf(condition.RecordedDate, zone) ?? RegionDates.DayOf(recorded, zone);
    }

    private static string? EffectiveText(Observation observation) => observation.Effective switch
    {
        FhirDateTime dateTime => dateTime.Value,
        Period period => period.Start,
        Instant instant => instant.Value?.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        _ => observation.Issued?.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The id of a <c>Patient/id</c> reference (relative or absolute); null for anything else.</summary>
    public static string? PatientId(ResourceReference? reference)
    {
        string? text = reference?.Reference;
        if (text is null)
        {
            return null;
        }

        int at = text.LastIndexOf("Patient/", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && text[at - 1] != '/'))
        {
            return null;
        }

        string id = text[(at + "Patient/".Length)..];
        return id.Length > 0 && !id.Contains('/', StringComparison.Ordinal) ? id : null;
    }

    private sealed class Compiled(CaseDefinition definition, Func<string, IReadOnlyCollection<CodeToken>> expand)
    {
        public CaseDefinition Definition { get; } = definition;

        public CodeMatcher[] Conditions { get; } = [.. definition.Conditions.Select(c => new CodeMatcher(c, expand))];

        public (CodeMatcher Test, PositiveResults Positive)[] Labs { get; } = [.. definition.Labs.Select(l => (new CodeMatcher(l.Test, expand), l.Positive))];

        public CompiledSyndrome[] Syndromes { get; } = [.. definition.Syndromes.Select(s => new CompiledSyndrome(s.Reasons is null ? null : new CodeMatcher(s.Reasons, expand), s.Keywords))];
    }

    private sealed record CompiledSyndrome(CodeMatcher? Reasons, IReadOnlyList<string> Keywords);
}
