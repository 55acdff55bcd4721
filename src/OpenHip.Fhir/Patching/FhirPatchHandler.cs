using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Transactions;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// Chooses the patch format: a Parameters resource is FHIRPath Patch; a Binary of application/json-patch+json is
/// JSON Patch, applied to the resource's JSON and parsed back strictly so a patch cannot smuggle in invalid content.
/// </summary>
public sealed class FhirPatchHandler : IPatchHandler
{
    public Resource Apply(Resource current, Resource patch) => patch switch
    {
        Parameters parameters => FhirPathPatchApplier.Apply(current, parameters),
        Binary { ContentType: "application/json-patch+json" } binary when binary.Data is not null =>
            FhirCodec.ParseJson(JsonPatchApplier.Apply(FhirCodec.ToJsonBytes(current), binary.Data)),
        _ => throw FhirException.BadRequest("A patch is a FHIRPath Patch Parameters resource or a JSON Patch document"),
    };
}
