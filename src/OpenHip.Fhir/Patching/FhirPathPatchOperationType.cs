namespace OpenHip.Fhir.Patching;

/// <summary>The FHIRPath Patch operation types of FHIR R4 (http://hl7.org/fhir/R4/fhirpatch.html).</summary>
internal enum FhirPathPatchOperationType
{
    Add,
    Insert,
    Delete,
    Replace,
    Move,
}
