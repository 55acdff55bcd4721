using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using Task = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Surveillance.Features.Alerts;

/// <summary>
/// Keeps an alert Task's lifecycle well-formed whoever writes it: businessStatus is one of new, acknowledged,
/// investigating, closed; Task.status follows it (requested, accepted, in-progress, completed); a closed alert names its
/// outcome (true-outbreak or false-alarm) in an output, and only a closed one does. Anything else is a 422.
/// </summary>
internal sealed class AlertTaskWriteHook : IResourceWriteHook
{
    public bool Inspects(string resourceType) => resourceType == "Task";

    public void OnWriting(Resource resource)
    {
        if (resource is not Task task || task.Code?.Coding.Any(c => c.System == AlertCodes.TaskCodeSystem && c.Code == AlertCodes.AlertTaskCode) != true)
        {
            return;
        }

        string? state = task.BusinessStatus?.Coding.FirstOrDefault(c => c.System == AlertCodes.StateSystem)?.Code;
        (string State, Task.TaskStatus Status) step = AlertCodes.States.FirstOrDefault(s => s.State == state);
        if (step.State is null)
        {
            throw FhirException.Unprocessable(
                $"An alert's businessStatus must be one of {string.Join(", ", AlertCodes.States.Select(s => s.State))} ({AlertCodes.StateSystem})", "Task.businessStatus");
        }

        task.Status = step.Status;
        string[] outcomes = [.. task.Output
            .Where(o => o.Type?.Coding.Any(c => c.System == AlertCodes.TaskCodeSystem && c.Code == "outcome") == true)
            .Select(o => (o.Value as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == AlertCodes.OutcomeSystem)?.Code ?? string.Empty)];
        if (step.State == "closed" && outcomes is not [var outcome] || (step.State == "closed" && !AlertCodes.Outcomes.Contains(outcomes[0])))
        {
            throw FhirException.Unprocessable(
                $"A closed alert names its outcome: one output of type outcome ({AlertCodes.TaskCodeSystem}) with {string.Join(" or ", AlertCodes.Outcomes)} ({AlertCodes.OutcomeSystem})", "Task.output");
        }

        if (step.State != "closed" && outcomes.Length > 0)
        {
            throw FhirException.Unprocessable("Only a closed alert has an outcome", "Task.output");
        }
    }

    public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
    {
    }
}
