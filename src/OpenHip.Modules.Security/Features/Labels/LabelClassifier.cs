using Hl7.Fhir.Model;

namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>
/// Decides the labels of a resource at write: the sensitivity labels its clinical codes call for, and its data grade.
/// Pure: the write hook applies the result.
/// </summary>
internal sealed class LabelClassifier(LabelOptions options)
{
    private readonly IReadOnlyList<SensitivityRule> _rules = options.EffectiveSensitivity;
    private readonly HashSet<string> _sensitiveLabels = new(options.EffectiveSensitivity.Select(r => r.Label), StringComparer.Ordinal);

    /// <summary>Sets meta.security: the sensitivity labels added (a client's own labels are kept), the grade replaced.</summary>
    public void Apply(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Meta ??= new Meta();
        List<Coding> security = resource.Meta.Security;
        foreach (string label in SensitivityOf(resource))
        {
            (string? system, string code) = SecurityLabels.Split(label);
            if (!security.Any(c => c.System == system && c.Code == code))
            {
                security.Add(new Coding(system, code));
            }
        }

        bool sensitive = security.Any(c => _sensitiveLabels.Contains(c.System + "|" + c.Code));
        int grade = sensitive ? DataGrades.Sensitive : options.Grades.TryGetValue(resource.TypeName, out int configured) ? configured : DataGrades.Default(resource.TypeName);
        security.RemoveAll(c => c.System == SecurityLabels.GradeSystem);
        security.Add(new Coding(SecurityLabels.GradeSystem, grade.ToString(System.Globalization.CultureInfo.InvariantCulture), DataGrades.Display(grade)));
    }

    /// <summary>The sensitivity labels (<c>system|code</c>) the resource's codes match.</summary>
    public IReadOnlySet<string> SensitivityOf(Resource resource)
    {
        SortedSet<string> labels = new(StringComparer.Ordinal);
        foreach (Coding coding in ClinicalCodes(resource).SelectMany(c => c?.Coding ?? []))
        {
            foreach (SensitivityRule rule in _rules)
            {
                if (rule.Matches(coding.System, coding.Code))
                {
                    labels.Add(rule.Label);
                }
            }
        }

        return labels;
    }

    /// <summary>The elements that say what a clinical resource is about (diagnosis, test, procedure, reason).</summary>
    private static IEnumerable<CodeableConcept?> ClinicalCodes(Resource resource) => resource switch
    {
        Condition c => [c.Code],
        Observation o => [o.Code, o.Value as CodeableConcept],
        DiagnosticReport d => [d.Code, .. d.ConclusionCode],
        Procedure p => [p.Code, .. p.ReasonCode],
        ServiceRequest s => [s.Code, .. s.ReasonCode],
        Encounter e => e.ReasonCode,
        MedicationRequest m => m.ReasonCode,
        MedicationStatement m => m.ReasonCode,
        Immunization i => i.ReasonCode,
        CarePlan c => c.Category,
        ClinicalImpression c => c.Finding.Select(f => f.ItemCodeableConcept),
        FamilyMemberHistory f => f.Condition.Select(c => c.Code),
        _ => [],
    };
}
