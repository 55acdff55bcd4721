using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>
/// <c>Patient/$match</c> (R4 Patient-match): <c>resource</c> (a Patient, required), <c>onlyCertainMatches</c>,
/// <c>count</c>. Answers a searchset Bundle of scored, graded candidates (see <see cref="MatchBundle"/>).
/// </summary>
internal sealed class MatchOperation(PatientMatcher matcher, IOptions<MpiOptions> options) : IFhirOperation
{
    public string Name => "match";

    public OperationLevel Levels => OperationLevel.Type;

    public string Definition => "http://hl7.org/fhir/OperationDefinition/Patient-match";

    public bool IsIdempotent => true;

    /// <summary>Candidates come from the whole index, so only callers who may search every Patient may ask.</summary>
    public OperationAccess Access { get; } = new(["Patient"], AccessRights.Read | AccessRights.Search);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Patient")
        {
            throw FhirException.BadRequest($"$match is defined on Patient, not {request.Type}");
        }

        Parameters? parameters = request.Body as Parameters;
        Resource? resource = parameters is null ? request.Body : parameters.GetSingle("resource")?.Resource;
        if (resource is null)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("resource"));
        }

        if (resource is not Patient candidate)
        {
            throw FhirException.BadRequest($"$match was given a {resource.TypeName} as resource; it takes a Patient", "resource");
        }

        bool onlyCertain = parameters?.GetSingleValue<FhirBoolean>("onlyCertainMatches")?.Value ?? false;
        int count = options.Value.DefaultMatchCount;
        if (parameters?.GetSingle("count") is { } countParameter)
        {
            count = countParameter.Value is Integer { Value: > 0 } given
                ? given.Value.Value
                : throw FhirException.BadRequest("count must be a positive integer", "count");
        }

        IReadOnlyList<(Patient Patient, BlockingIndex.Match Match)> answer = await matcher.MatchAsync(
            candidate, m => !onlyCertain || m.Grade == MatchGrade.Certain, count, cancellationToken).ConfigureAwait(false);
        return new OperationResult(200, MatchBundle.Create(request.Context.BaseUrl, answer));
    }
}
