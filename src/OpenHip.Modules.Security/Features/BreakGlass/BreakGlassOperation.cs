using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Policy;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>
/// <c>POST [base]/Patient/{id}/$break-the-glass</c> with Parameters <c>reason</c> (string) and <c>purpose</c>
/// (code ETREAT or BTG; the token's purpose_of_use when absent). A clinician's user token gets read access to the
/// patient's record despite consent for <see cref="BreakGlassOptions.Duration"/>; writes are unaffected. Writes the review
/// Task that is the grant, raises a high-priority audit record, answers the grant window.
/// </summary>
internal sealed partial class BreakGlassOperation(
    AccessPolicyProvider policies,
    ResourceService resources,
    IFhirStore store,
    IAuditSink audit,
    TimeProvider time,
    IOptions<BreakGlassOptions> options,
    ILogger<BreakGlassOperation> logger) : IFhirOperation
{
    private static readonly string[] Purposes = ["ETREAT", "BTG"];

    public string Name => "break-the-glass";

    public OperationLevel Levels => OperationLevel.Instance;

    public string Definition => "http://openhip.org/fhir/OperationDefinition/break-the-glass";

    public bool IsIdempotent => false;

    /// <summary>
    /// Any caller with read access to Patients may ask (consent may hide the very patient, which is the point); the
    /// operation itself checks the role, the token kind and the purpose.
    /// </summary>
    public OperationAccess Access { get; } = new(["Patient"], AccessRights.Read, AppliesPolicy: true);

    public async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Type != "Patient" || request.Id is not { } patientId)
        {
            throw FhirException.BadRequest("$break-the-glass is invoked on a Patient: POST [base]/Patient/{id}/$break-the-glass");
        }

        CallerClaims caller = Authorize(request.Context);
        (string purpose, string reason) = Read(request.Body as Parameters, caller);
        StoredResource? patient = await store.ReadCurrentAsync("Patient", patientId, cancellationToken).ConfigureAwait(false);
        if (patient is null or { IsDeleted: true })
        {
            throw FhirException.NotFound($"Patient/{patientId} is not known");
        }

        DateTimeOffset start = time.GetUtcNow();
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        DateTimeOffset end = start + options.Value.Duration;
        FhirTask task = BreakGlassTask.Create(patientId, caller.Subject!, caller.FhirUser, purpose, reason, start, end, options.Value.WriterSource);

        // The module's own write, with the engine's unrestricted context: the caller's policy may not even show Tasks.
        var writer = new FhirRequestContext(request.Context.BaseUrl, Who: "openhip-security", Source: options.Value.WriterSource, request.Context.CorrelationId);
        InteractionResult created;
        using (BreakGlassWriteScope.Enter())
        {
            created = await resources.CreateAsync(task, null, writer, cancellationToken).ConfigureAwait(false);
        }

        string taskId = created.Resource!.Id;
        await audit.RecordAsync(
            new AuditRecord(start, "break-the-glass", caller.Describe(), caller.Source, "Patient/" + patientId, [patientId], 200, request.Context.CorrelationId)
            {
                Priority = AuditPriority.High,
            },
            cancellationToken).ConfigureAwait(false);
        LogGranted(logger, caller.Describe(), patientId, taskId, end);

        var result = new Parameters();
        result.Add("grant", new ResourceReference("Task/" + taskId));
        result.Add("patient", new ResourceReference("Patient/" + patientId));
        result.Add("start", new Instant(start));
        result.Add("end", new Instant(end));
        result.Add("purpose", new Code(purpose));
        return new OperationResult(200, result);
    }

    private CallerClaims Authorize(FhirRequestContext context)
    {
        CallerClaims? caller = policies.CallerOf(context.Access);
        if (caller is null)
        {
            throw FhirException.Forbidden("Break-the-glass needs an authenticated clinician's user token");
        }

        if (caller.IsSystem)
        {
            throw FhirException.Forbidden("Break-the-glass is not available to system clients");
        }

        if (caller.Subject is null || !caller.Roles.Intersect(options.Value.EffectiveRoles, StringComparer.Ordinal).Any())
        {
            throw FhirException.Forbidden($"Break-the-glass needs the role {string.Join(" or ", options.Value.EffectiveRoles)}");
        }

        return caller;
    }

    private static (string Purpose, string Reason) Read(Parameters? parameters, CallerClaims caller)
    {
        string? reason = parameters?.GetSingleValue<FhirString>("reason")?.Value?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 1000)
        {
            throw FhirException.BadRequest("Parameters.reason (string, 1 to 1000 characters) says why the glass is broken");
        }

        DataType? given = parameters?.Parameter.FirstOrDefault(p => p.Name == "purpose")?.Value;
        string? purpose = given switch
        {
            Code c => c.Value,
            Coding c => c.Code,
            FhirString s => s.Value,
            CodeableConcept cc => cc.Coding.FirstOrDefault()?.Code,
            _ => caller.Purposes.FirstOrDefault(Purposes.Contains),
        };
        return purpose is not null && Purposes.Contains(purpose)
            ? (purpose, reason)
            : throw FhirException.BadRequest("Parameters.purpose must be ETREAT or BTG (v3 ActReason)");
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Break-the-glass: {Caller} was granted Patient/{PatientId} until {End} (review Task/{TaskId})")]
    private static partial void LogGranted(ILogger logger, string caller, string patientId, string taskId, DateTimeOffset end);
}
