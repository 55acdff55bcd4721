using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// No access without a record: a request's audit record is made durable before the first byte of its response goes
/// out, so when the audit log cannot take it the client gets a 500 OperationOutcome instead of the data. Writes the
/// engine already recorded with their data (in the same transaction) are not recorded a second time.
/// </summary>
internal static class AuditGate
{
    private const string StateKey = "openhip.audit.state";
    private const string WritesKey = "openhip.audit.writes";

    private enum State
    {
        Recorded = 1,
        Failed = 2,
    }

    /// <summary>Starts the request's tally of writes the engine records itself.</summary>
    public static void Begin(HttpContext context) => context.Items[WritesKey] = new AuditedWrites();

    public static AuditedWrites Writes(HttpContext context) =>
        context.Items[WritesKey] as AuditedWrites ?? (AuditedWrites)(context.Items[WritesKey] = new AuditedWrites());

    /// <summary>
    /// Records the request with the status it is about to answer, once. Throws <see cref="AuditUnavailableException"/>
    /// when the audit log cannot take the record (the caller then must not send the response); after one failure it
    /// does not try again, so the 500 that follows can still be written.
    /// </summary>
    public static async Task RecordAsync(HttpContext context)
    {
        if (context.Items[StateKey] is State)
        {
            return;
        }

        AuditRecord? record = Build(context);
        if (record is null)
        {
            context.Items[StateKey] = State.Recorded;
            return;
        }

        IAuditSink sink = context.RequestServices.GetRequiredService<IAuditSink>();
        try
        {
            // BALP: a search is recorded once per patient whose data it returned, so each resident's view shows it.
            if (AuditItems.Patients(context) is { Count: > 0 } patients && context.Response.StatusCode < 400)
            {
                if (patients.Count == 1)
                {
                    // A read of a Patient already names it (the common case): no copy of the record.
                    AuditRecord single = record.Patients is [string named] && named == patients[0] ? record : record with { Patients = [patients[0]] };
                    await sink.RecordAsync(single, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAll(patients.Select(p => sink.RecordAsync(record with { Patients = [p] }, CancellationToken.None).AsTask())).ConfigureAwait(false);
                }
            }
            else
            {
                await sink.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
            }

            context.Items[StateKey] = State.Recorded;
        }
        catch (Exception ex) when (ex is not AuditUnavailableException)
        {
            context.Items[StateKey] = State.Failed;
            throw new AuditUnavailableException(ex);
        }
    }

    /// <summary>True once the request's record is durable or was not needed.</summary>
    public static bool IsSettled(HttpContext context) => context.Items[StateKey] is State;

    // A read names its Patient; a search's patients come from its results (AuditItems.Patients). An id from the URL that
    // is not a FHIR id names no resident (the request fails), and the audit log's patient index holds FHIR ids only.
    private static string[] PatientOf(string? resource) =>
        resource is not null && resource.StartsWith("Patient/", StringComparison.Ordinal) && resource.Split('/') is [_, { Length: > 0 } id, ..]
            && ResourceIds.IsValidId(id)
            ? [id]
            : [];

    // BALP's query entity keeps what was asked: the search's query string, without the '?'.
    private static string? QueryOf(string? interaction, QueryString query) =>
        interaction is not null && interaction.StartsWith("search-", StringComparison.Ordinal) && query.HasValue ? query.Value![1..] : null;

    private static AuditRecord? Build(HttpContext context)
    {
        string? interaction = AuditItems.Interaction(context);
        string basePath = context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value.BasePath;
        if (interaction is null && !context.Request.Path.StartsWithSegments(basePath, StringComparison.Ordinal))
        {
            return null;
        }

        int status = context.Response.StatusCode;
        if (status < 400 && interaction is "create" or "update" or "patch" or "delete" && Writes(context).Count > 0)
        {
            // The engine committed this write's record with the data.
            return null;
        }

        string? resource = AuditItems.Resource(context);
        AuditCaller caller = AuditCaller.Of(context);
        return new AuditRecord(
            context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            interaction ?? "unknown",
            caller.Name,
            caller.Source,
            resource,
            PatientOf(resource),
            status,
            context.TraceIdentifier)
        {
            ClientId = caller.ClientId,
            User = caller.User,
            PurposeOfUse = caller.PurposeOfUse,
            NetworkAddress = caller.NetworkAddress,
            Query = QueryOf(interaction, context.Request.QueryString),
        };
    }
}
