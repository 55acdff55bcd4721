using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// R4 expressions that are not paths but are cheap to write out: Firely's FHIRPath engine took 40–150 µs per Patient
/// for <c>deceased</c> alone, more than every other parameter of the resource together.
/// </summary>
internal static class NativeBranches
{
    /// <summary>What the branch selects from a resource, or null when it is not one of these.</summary>
    public static Func<Resource, Base?>? For(string branch) => branch switch
    {
        // true for deceasedDateTime or deceasedBoolean true; false when absent or false (FHIRPath: false and {} is false).
        "Patient.deceased.exists() and Patient.deceased != false" =>
            static resource => resource is Patient patient ? new FhirBoolean(patient.Deceased is not (null or FhirBoolean { Value: false })) : null,
        _ => null,
    };
}
