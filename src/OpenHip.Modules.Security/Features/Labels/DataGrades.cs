using OpenHip.Fhir.Search;

namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>
/// OpenHIP's default reading of the GB/T 39725-2020 data grades per resource type (configuration overrides per type):
/// 1 public (terminology, conformance, the public facility directory); 2 open to a wide audience (staff directory,
/// aggregate reports); 3 internal (other non-personal data: devices, workflow); 4 personal health data (anything in a
/// patient compartment, and the golden Person); 5 sensitive personal health data (any resource carrying a sensitivity
/// label such as PSY, HIV or SEX).
/// </summary>
internal static class DataGrades
{
    public const int Sensitive = 5;

    private static readonly HashSet<string> Public = new(StringComparer.Ordinal)
    {
        "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "StructureDefinition", "SearchParameter", "OperationDefinition",
        "CapabilityStatement", "CompartmentDefinition", "ImplementationGuide", "Questionnaire", "PlanDefinition",
        "ActivityDefinition", "Library", "Measure", "Organization", "Location", "HealthcareService", "Endpoint", "Medication",
        "Substance",
    };

    private static readonly HashSet<string> Wide = new(StringComparer.Ordinal) { "Practitioner", "PractitionerRole", "MeasureReport" };

    public static int Default(string type) =>
        PatientCompartmentDefinition.Parameters.ContainsKey(type) || type == "Person" ? 4
        : Public.Contains(type) ? 1
        : Wide.Contains(type) ? 2
        : 3;

    public static string Display(int grade) => grade switch
    {
        1 => "Grade 1: may be fully public",
        2 => "Grade 2: open to a wide audience",
        3 => "Grade 3: open to a moderate audience",
        4 => "Grade 4: open to a small audience (personal health data)",
        _ => "Grade 5: a very small audience under strict conditions (sensitive personal health data)",
    };
}
