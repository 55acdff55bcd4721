using System.Text.Json;
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
        Apply(resource.TypeName, ClinicalCodes(resource).SelectMany(c => c?.Coding ?? []).Select(c => (c.System, c.Code)), resource.Meta.Security);
    }

    /// <summary>The same from the clinical codes (system, code) and meta.security of a resource read some other way (its JSON).</summary>
    public void Apply(string resourceType, IEnumerable<(string? System, string? Code)> codes, List<Coding> security)
    {
        ArgumentNullException.ThrowIfNull(security);
        foreach (string label in SensitivityOf(codes))
        {
            (string? system, string code) = SecurityLabels.Split(label);
            if (!security.Any(c => c.System == system && c.Code == code))
            {
                security.Add(new Coding(system, code));
            }
        }

        bool sensitive = security.Any(c => _sensitiveLabels.Contains(c.System + "|" + c.Code));
        int grade = sensitive ? DataGrades.Sensitive : options.Grades.TryGetValue(resourceType, out int configured) ? configured : DataGrades.Default(resourceType);
        security.RemoveAll(c => c.System == SecurityLabels.GradeSystem);
        security.Add(new Coding(SecurityLabels.GradeSystem, grade.ToString(System.Globalization.CultureInfo.InvariantCulture), DataGrades.Display(grade)));
    }

    /// <summary>The sensitivity labels (<c>system|code</c>) the resource's codes match.</summary>
    public IReadOnlySet<string> SensitivityOf(Resource resource) =>
        SensitivityOf(ClinicalCodes(resource).SelectMany(c => c?.Coding ?? []).Select(c => (c.System, c.Code)));

    private SortedSet<string> SensitivityOf(IEnumerable<(string? System, string? Code)> codes)
    {
        SortedSet<string> labels = new(StringComparer.Ordinal);
        foreach ((string? system, string? code) in codes)
        {
            foreach (SensitivityRule rule in _rules)
            {
                if (rule.Matches(system, code))
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

    /// <summary><see cref="ClinicalCodes(Resource)"/>'s codings read from the resource's JSON: the same elements by their JSON names.</summary>
    public static IEnumerable<(string? System, string? Code)> ClinicalCodes(JsonElement resource, string resourceType) =>
        (resourceType switch
        {
            "Condition" => Members(resource, "code"),
            "Observation" => Members(resource, "code").Concat(Members(resource, "valueCodeableConcept")),
            "DiagnosticReport" => Members(resource, "code").Concat(Members(resource, "conclusionCode")),
            "Procedure" or "ServiceRequest" => Members(resource, "code").Concat(Members(resource, "reasonCode")),
            "Encounter" or "MedicationRequest" or "MedicationStatement" or "Immunization" => Members(resource, "reasonCode"),
            "CarePlan" => Members(resource, "category"),
            "ClinicalImpression" => Members(resource, "finding").SelectMany(f => Members(f, "itemCodeableConcept")),
            "FamilyMemberHistory" => Members(resource, "condition").SelectMany(c => Members(c, "code")),
            _ => [],
        }).SelectMany(concept => Members(concept, "coding")).Select(c => (Text(c, "system"), Text(c, "code")));

    /// <summary>The object or objects under a member (a CodeableConcept or a list of them).</summary>
    private static IEnumerable<JsonElement> Members(JsonElement json, string name) =>
        json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out JsonElement value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
        : value.ValueKind == JsonValueKind.Object ? [value] : [];

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
