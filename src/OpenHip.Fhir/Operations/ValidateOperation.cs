using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Validation;

namespace OpenHip.Fhir.Operations;

/// <summary>
/// $validate (R4 Resource-validate) at type and instance level: the body (a resource, or Parameters with
/// <c>resource</c>) or the stored instance is checked against the R4 base profiles. The answer is always an
/// OperationOutcome with status 200; invalid content is reported in it, not as an HTTP error.
/// </summary>
public sealed class ValidateOperation(ResourceService resources) : IFhirOperation
{
    public string Name => "validate";

    public OperationLevel Levels => OperationLevel.Type | OperationLevel.Instance;

    public string Definition => "http://hl7.org/fhir/OperationDefinition/Resource-validate";

    public bool IsIdempotent => true;

    /// <summary>A stored instance is read through the caller's policy; a body needs only the right to read the type.</summary>
    public OperationAccess Access { get; } = new(null, AccessRights.Read, AppliesPolicy: true);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        Resource? candidate = request.Body is Parameters parameters ? parameters.GetSingle("resource")?.Resource : request.Body;
        if (candidate is null && request.Id is not null)
        {
            StoredResource stored = await resources.ReadAsync(request.Type!, request.Id, request.Context.Access, cancellationToken).ConfigureAwait(false);
            candidate = FhirCodec.ParseStored(stored.Json.Span);
        }

        if (candidate is null)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("resource"));
        }

        if (request.Type is not null && candidate.TypeName != request.Type)
        {
            throw FhirException.BadRequest($"$validate on {request.Type} was given a {candidate.TypeName}", "resource");
        }

        OperationOutcome outcome = ProfileValidator.Shared.Validate(candidate).ToOperationOutcome();
        return new OperationResult(200, outcome);
    }
}
