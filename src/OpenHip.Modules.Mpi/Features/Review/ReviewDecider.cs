using Hl7.Fhir.Model;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Mpi.Domain.Matching;
using OpenHip.Modules.Mpi.Features.Linking;
using OpenHip.Modules.Mpi.Features.MatchPatient;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Mpi.Features.Review;

/// <summary>
/// A reviewer's decision on a review Task. Accept puts the two Patients into one Person (level4 links); reject leaves
/// them apart for good (the linker never auto-links a rejected pair). Either way the Task records the decision, the
/// audit sink records who decided about which Patients, and the pair's comparison pattern is fed to the model.
/// </summary>
internal sealed class ReviewDecider(
    IFhirStore store,
    ResourceService resources,
    GoldenPersons persons,
    PatientIndex index,
    IAuditSink audit,
    TimeProvider time)
{
    private const int MaxAttempts = 8;

    public async Task<FhirTask> DecideAsync(string taskId, bool accept, FhirRequestContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        StoredResource? stored = await store.ReadCurrentAsync("Task", taskId, ct).ConfigureAwait(false);
        if (stored is null || stored.IsDeleted || FhirCodec.ParseStored(stored.Json.Span) is not FhirTask task || !ReviewQueue.IsReview(task))
        {
            throw FhirException.NotFound($"Task/{taskId} is not an MPI review task");
        }

        if (task.Status != FhirTask.TaskStatus.Requested)
        {
            throw FhirException.Conflict($"Task/{taskId} was already decided ({task.Status})");
        }

        (string patient, string candidate) = ReviewQueue.Pair(task) ?? throw FhirException.Unprocessable($"Task/{taskId} does not name two Patients");
        if (accept)
        {
            await JoinAsync(patient, candidate, ct).ConfigureAwait(false);
        }

        task.Status = accept ? FhirTask.TaskStatus.Completed : FhirTask.TaskStatus.Rejected;
        task.BusinessStatus = new CodeableConcept(ReviewQueue.CodeSystem, ReviewQueue.Decided(accept));
        task.LastModifiedElement = new FhirDateTime(time.GetUtcNow());
        if (context.Who is not null)
        {
            task.Owner = new ResourceReference { Display = context.Who };
        }

        InteractionResult written = await resources.UpdateAsync("Task", taskId, task, stored.VersionId, persons.Writer, ct).ConfigureAwait(false);
        await LearnAsync(patient, candidate, accept, ct).ConfigureAwait(false);
        await audit.RecordAsync(
            new AuditRecord(time.GetUtcNow(), "operation", context.Who, context.Source, $"Task/{taskId}/_history/{written.Resource!.VersionId}", [patient, candidate], 200, context.CorrelationId),
            ct).ConfigureAwait(false);
        return task;
    }

    /// <summary>Feeds one decided pair into the model's estimates.</summary>
    public async System.Threading.Tasks.Task LearnAsync(string patient, string candidate, bool accepted, CancellationToken ct)
    {
        await index.CatchUpAsync(ct).ConfigureAwait(false);
        if (index.Get(patient) is PersonRecord a && index.Get(candidate) is PersonRecord b)
        {
            index.Feedback.Add(PatientIndex.Pattern(a, b), accepted);
        }
    }

    private async System.Threading.Tasks.Task JoinAsync(string patient, string candidate, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                GoldenPersons.JoinPlan? plan = await persons.PlanJoinAsync(patient, candidate, ct).ConfigureAwait(false);
                if (plan is not null)
                {
                    await persons.JoinAsync(plan, ct).ConfigureAwait(false);
                }

                return;
            }
            catch (FhirException ex) when (GoldenPersons.IsConcurrentChange(ex) && attempt < MaxAttempts)
            {
                // The linker changed one of the Persons meanwhile: plan again.
            }
        }
    }
}
