using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;

namespace OpenHip.Fhir.Search.Reindexing;

/// <summary>
/// <c>$reindex</c> at system and type level. POST starts a background run and answers 202 with its id;
/// GET <c>$reindex?job=id</c> reports its status, processed and rewritten counts.
/// </summary>
public sealed class ReindexOperation(ReindexRunner runner) : IFhirOperation
{
    public string Name => "reindex";

    public OperationLevel Levels => OperationLevel.System | OperationLevel.Type;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/reindex";

    // GET only reads a job's status; starting one needs POST (checked below).
    public bool IsIdempotent => true;

    public System.Threading.Tasks.Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.TryGetValue("job", out string[]? ids) && ids.Length > 0)
        {
            ReindexJob job = runner.Find(ids[0]) ?? throw FhirException.NotFound($"No reindex job '{ids[0]}' on this node");
            return System.Threading.Tasks.Task.FromResult(new OperationResult(job.Status == "running" ? 202 : 200, Describe(job)));
        }

        if (!request.IsPost)
        {
            throw FhirException.BadRequest("Start a reindex with POST; GET $reindex?job=<id> reports on one");
        }

        ReindexJob started = runner.Start(request.Type);
        return System.Threading.Tasks.Task.FromResult(new OperationResult(202, Describe(started)));
    }

    private static Parameters Describe(ReindexJob job)
    {
        var parameters = new Parameters();
        parameters.Add("job", new FhirString(job.Id));
        parameters.Add("status", new Code(job.Status));
        if (job.Type is not null)
        {
            parameters.Add("type", new Code(job.Type));
        }

        parameters.Add("processed", new Integer64(job.Processed));
        parameters.Add("updated", new Integer64(job.Updated));
        parameters.Add("started", new FhirDateTime(job.Started));
        if (job.Finished is { } finished)
        {
            parameters.Add("finished", new FhirDateTime(finished));
        }

        if (job.Error is not null)
        {
            parameters.Add("error", new FhirString(job.Error));
        }

        return parameters;
    }
}
