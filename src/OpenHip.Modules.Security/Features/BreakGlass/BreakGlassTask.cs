using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>
/// The review Task that is also the grant: code <c>break-the-glass</c>, priority stat, <c>for</c> the Patient,
/// <c>requester</c> the practitioner, <c>executionPeriod</c> the grant window, the purpose and reason in
/// <c>reasonCode</c>, and the token subject as input <c>grantee</c> (what a later token is matched on).
/// </summary>
internal static class BreakGlassTask
{
    public const string CodeSystem = "http://openhip.org/fhir/CodeSystem/security-task";
    public const string Code = "break-the-glass";
    public const string GranteeInput = "grantee";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string UserSystem = "http://openhip.org/sid/user";

    public static FhirTask Create(string patientId, string subject, string? fhirUser, string purpose, string reason, DateTimeOffset start, DateTimeOffset end, string writerSource)
    {
        var requester = fhirUser is not null
            ? new ResourceReference(fhirUser)
            : new ResourceReference { Identifier = new Identifier(UserSystem, subject) };
        return new FhirTask
        {
            Meta = new Meta { Source = writerSource },
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Order,
            Priority = RequestPriority.Stat,
            Code = new CodeableConcept(CodeSystem, Code, "Review a break-the-glass access"),
            Description = "Review: consent was overridden to read this patient's record",
            Focus = new ResourceReference("Patient/" + patientId),
            For = new ResourceReference("Patient/" + patientId),
            Requester = requester,
            AuthoredOnElement = new FhirDateTime(start),
            ExecutionPeriod = new Period(new FhirDateTime(start), new FhirDateTime(end)),
            ReasonCode = new CodeableConcept(ActReason, purpose) { Text = reason },
            Input = [new FhirTask.ParameterComponent { Type = new CodeableConcept(CodeSystem, GranteeInput), Value = new FhirString(subject) }],
        };
    }

    public static bool IsBreakGlass(FhirTask task) => task.Code?.Coding.Any(c => c.System == CodeSystem && c.Code == Code) == true;

    /// <summary>The grant a stored Task carries, or null when it is no grant (another Task, or a version not written by the module).</summary>
    public static BreakGlassGrant? GrantOf(FhirTask task, string writerSource)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!IsBreakGlass(task) || task.Meta?.Source != writerSource || task.Status != FhirTask.TaskStatus.Requested)
        {
            return null;
        }

        string? patient = task.For?.Reference is { } r && r.StartsWith("Patient/", StringComparison.Ordinal) ? r[8..] : null;
        string? subject = task.Input.FirstOrDefault(i => i.Type?.Coding.Any(c => c.Code == GranteeInput) == true)?.Value is FhirString s ? s.Value : null;
        DateTimeOffset? start = task.ExecutionPeriod?.StartElement?.ToDateTimeOffset(TimeSpan.Zero);
        DateTimeOffset? end = task.ExecutionPeriod?.EndElement?.ToDateTimeOffset(TimeSpan.Zero);
        return patient is { Length: > 0 } && subject is { Length: > 0 } && start is not null && end is not null
            ? new BreakGlassGrant(task.Id ?? string.Empty, subject, patient, start.Value, end.Value)
            : null;
    }
}
