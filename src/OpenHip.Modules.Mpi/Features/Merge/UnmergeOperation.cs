using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;

namespace OpenHip.Modules.Mpi.Features.Merge;

/// <summary>
/// <c>Patient/$unmerge</c> (OpenHIP; R5 has no undo): <c>provenance</c>, the reference that <c>$merge</c> answered.
/// Restores every resource the merge changed to its content before the merge and removes what it created; 409 when a
/// merged Patient changed since (an exact undo would lose that change), 404 for a Provenance that is not a merge record.
/// </summary>
internal sealed class UnmergeOperation(PatientMerger merger, ILogger<UnmergeOperation> logger) : IFhirOperation
{
    public string Name => "unmerge";

    public OperationLevel Levels => OperationLevel.Type;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/Patient-unmerge";

    public bool IsIdempotent => false;

    public OperationAccess Access { get; } = new(["Patient", "Person"], AccessRights.Read | AccessRights.Update);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Patient")
        {
            throw FhirException.BadRequest($"$unmerge is defined on Patient, not {request.Type}");
        }

        string? reference = (request.Body as Parameters)?.GetSingle("provenance")?.Value is ResourceReference r ? r.Reference : null;
        if (reference is null)
        {
            throw new FhirException(FhirErrorKind.BadRequest, FhirIssue.Required("provenance"));
        }

        if (!reference.StartsWith("Provenance/", StringComparison.Ordinal) || reference.Length == "Provenance/".Length)
        {
            throw FhirException.BadRequest("provenance must reference the merge record as Provenance/id", "provenance");
        }

        string id = reference["Provenance/".Length..];
        await merger.UnmergeAsync(id, request.Context, cancellationToken).ConfigureAwait(false);
        MpiLog.Unmerged(logger, id);
        return new OperationResult(200, new OperationOutcome
        {
            Issue = [new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = $"The merge recorded in Provenance/{id} was undone",
            }],
        });
    }
}
