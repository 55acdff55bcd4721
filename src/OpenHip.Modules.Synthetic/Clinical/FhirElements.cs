using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>Small constructors for the FHIR elements the generator repeats. Times are written in +08:00.</summary>
internal static class FhirElements
{
    public const string EnRepresentation = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
    public const string DivisionCodeExtension = "http://openhip.org/fhir/StructureDefinition/division-code";
    public const string ResidentIdSystem = "http://openhip.org/sid/cn-resident-id";
    public const string PassportSystemPrefix = "http://openhip.org/sid/passport/";
    public const string V2IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string DiagnosticServiceSection = "http://terminology.hl7.org/CodeSystem/v2-0074";
    public const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string OpenHipConditionCategory = "http://openhip.org/fhir/CodeSystem/condition-category";

    public static CodeableConcept Concept(ClinicalCode code, string? text = null) =>
        new() { Coding = [new Coding(code.System, code.Value, code.Display)], Text = text };

    public static CodeableConcept Concept(string system, string code, string? display = null) =>
        new() { Coding = [new Coding(system, code, display)] };

    public static CodeableConcept IdentifierType(string code) => Concept(V2IdentifierType, code);

    public static ResourceReference Ref(string reference) => new(reference);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static FhirDateTime At(DateOnly date, int minuteOfDay) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd}T{minuteOfDay / 60:D2}:{minuteOfDay % 60:D2}:00+08:00"));

    public static string Instant(DateOnly date, int minuteOfDay) => At(date, minuteOfDay).Value!;

    public static Quantity Ucum(decimal value, string unit) =>
        new() { Value = value, Unit = unit, System = ClinicalCodes.Ucum, Code = unit };
}
