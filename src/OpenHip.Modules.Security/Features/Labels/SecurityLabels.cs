namespace OpenHip.Modules.Security.Features.Labels;

/// <summary>The code systems of the labels OpenHIP writes and reads.</summary>
internal static class SecurityLabels
{
    /// <summary>GB/T 39725-2020 data grades 1 (public) to 5 (most sensitive), codes "1" to "5": an OpenHIP code system.</summary>
    public const string GradeSystem = "http://openhip.org/fhir/CodeSystem/data-grade";

    /// <summary>HL7 v3 ActCode: sensitivity codes PSY, HIV, SEX, ETH, SUD ...</summary>
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>HL7 v3 ObservationValue: REDACTED / MASKED mark a resource that lost elements on the way out.</summary>
    public const string ObservationValue = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    public const string Loinc = "http://loinc.org";

    /// <summary>"system|code" split at the first bar; no bar: the code alone with no system constraint.</summary>
    public static (string? System, string Code) Split(string label)
    {
        int bar = label.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (null, label) : (label[..bar], label[(bar + 1)..]);
    }
}
