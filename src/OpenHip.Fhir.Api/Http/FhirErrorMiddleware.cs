using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// The single place where failures become OperationOutcomes with their HTTP status. Unknown failures answer 500 with
/// a fixed text and the correlation id; the exception itself is only logged. Every request is also reported to the audit sink.
/// </summary>
internal sealed partial class FhirErrorMiddleware(RequestDelegate next, IAuditSink audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<FhirApiOptions> options, ILogger<FhirErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        Resources.WriteWarnings.Begin();
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode is 404 or 405 && !context.Response.HasStarted && context.Response.ContentLength is null)
            {
                string what = context.Response.StatusCode == 405
                    ? $"{context.Request.Method} is not allowed on {context.Request.Path}"
                    : $"No FHIR endpoint at {context.Request.Path}";
                await WriteAsync(context, new FhirException(
                    context.Response.StatusCode == 405 ? FhirErrorKind.MethodNotAllowed : FhirErrorKind.NotFound,
                    new FhirIssue(OperationOutcome.IssueType.NotSupported, what))).ConfigureAwait(false);
            }
        }
        catch (FhirException ex)
        {
            await WriteAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            FhirErrorKind kind = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? FhirErrorKind.TooLarge : FhirErrorKind.BadRequest;
            await WriteAsync(context, new FhirException(kind, FhirIssue.Invalid(ex.Message))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // the last line of defence: any failure must become a 500 OperationOutcome, never a dropped connection
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnhandled(logger, ex, context.TraceIdentifier);
            await WriteAsync(context, new FhirException(
                FhirErrorKind.Internal,
                new FhirIssue(OperationOutcome.IssueType.Exception, $"An internal error occurred; correlation id {context.TraceIdentifier}"))).ConfigureAwait(false);
        }
        finally
        {
            await RecordAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(HttpContext context, FhirException ex)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        if (ex.Kind == FhirErrorKind.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        OperationOutcome outcome = ex.ToOperationOutcome();
        outcome.Id = context.TraceIdentifier.Replace(':', '-');
        await FhirResponseWriter.WriteErrorAsync(context, outcome, FhirErrorStatus.Of(ex.Kind)).ConfigureAwait(false);
    }

    private async Task RecordAsync(HttpContext context)
    {
        if (AuditItems.Interaction(context) is null && !context.Request.Path.StartsWithSegments(options.Value.BasePath, StringComparison.Ordinal))
        {
            return;
        }

        var record = new AuditRecord(
            time.GetUtcNow(),
            AuditItems.Interaction(context) ?? "unknown",
            context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null,
            null,
            AuditItems.Resource(context),
            [],
            context.Response.StatusCode,
            context.TraceIdentifier);
        await audit.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled failure; correlation id {CorrelationId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string correlationId);
}
