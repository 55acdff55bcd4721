namespace OpenHip.Modules.Surveillance.Features.CaseDetection;

/// <summary>The URLs of what surveillance writes (docs/surveillance.md, "Stored resources").</summary>
internal static class SurveillanceCodes
{
    public const string DiseaseSystem = "http://openhip.org/fhir/CodeSystem/surveillance-disease";
    public const string CaseExtension = "http://openhip.org/fhir/StructureDefinition/surveillance-case";
    public const string StratumExtension = "http://openhip.org/fhir/StructureDefinition/surveillance-stratum";
    public const string CountMeasure = "http://openhip.org/fhir/Measure/surveillance-daily-case-count";
    public const string CountAreaSystem = "http://openhip.org/sid/surveillance-count-area";
    public const string TagSystem = "http://openhip.org/fhir/CodeSystem/surveillance-tag";
    public const string DivisionCodeExtension = "http://openhip.org/fhir/StructureDefinition/division-code";

    /// <summary>The identifier value under <see cref="CountAreaSystem"/> a count carries for each level it belongs to; "*" is the whole region.</summary>
    public static string AreaToken(string disease, string area) => disease + ":" + area;
}
