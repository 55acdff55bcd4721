using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace OpenHip.Fhir.Patching;

/// <summary>
/// One syntactically valid FHIRPath Patch operation, its path already compiled.
/// </summary>
/// <param name="Target">The compiled <see cref="Path"/>.</param>
/// <param name="Container">For insert and move: the path minus its last step, when that step is a plain child name.</param>
/// <param name="ListName">For insert and move: that last child name.</param>
/// <param name="Expression">Where the operation sits in the Parameters resource, for 400 errors.</param>
internal sealed record FhirPathPatchOperation(
    FhirPathPatchOperationType Type,
    string Path,
    CompiledExpression Target,
    CompiledExpression? Container,
    string? ListName,
    string? Name,
    Parameters.ParameterComponent? Value,
    int? Index,
    int? Source,
    int? Destination,
    string Expression);
