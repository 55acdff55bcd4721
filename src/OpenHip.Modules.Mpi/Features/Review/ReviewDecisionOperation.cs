using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;

namespace OpenHip.Modules.Mpi.Features.Review;

/// <summary>
/// <c>Task/{id}/$mpi-accept</c> and <c>Task/{id}/$mpi-reject</c> (POST, no parameters): decide a review Task. Answers
/// the decided Task; 404 for a Task that is not a review, 409 for one already decided.
/// </summary>
internal sealed class ReviewDecisionOperation(bool accept, ReviewDecider decider) : IFhirOperation
{
    public string Name => accept ? "mpi-accept" : "mpi-reject";

    public OperationLevel Levels => OperationLevel.Instance;

    public string Definition => $"http://openhip.org/fhir/OperationDefinition/Task-{Name}";

    public bool IsIdempotent => false;

    public OperationAccess Access { get; } = new(["Task", "Patient", "Person"], AccessRights.Read | AccessRights.Update);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Task" || request.Id is null)
        {
            throw FhirException.BadRequest($"${Name} is invoked on a review Task: Task/{{id}}/${Name}");
        }

        return new OperationResult(200, await decider.DecideAsync(request.Id, accept, request.Context, cancellationToken).ConfigureAwait(false));
    }
}
