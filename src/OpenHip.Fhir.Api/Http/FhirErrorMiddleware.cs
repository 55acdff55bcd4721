using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// The single place where failures become OperationOutcomes with their HTTP status. Unknown failures answer 500 with
/// a fixed text and the correlation id; the exception itself is only logged. Every request is also reported to the audit sink
/// before its response goes out (<see cref="AuditGate"/>): when the record cannot be written, the answer is a 500.
/// </summary>
internal sealed partial class FhirErrorMiddleware(RequestDelegate next, IOptions<FhirApiOptions> options, ILogger<FhirErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        Resources.WriteWarnings.Begin();
        AuditGate.Begin(context);
        try
        {
            CheckUrlLength(context, options.Value.MaxUrlLength);
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

            // Responses without a body (204, 304, HEAD) have not started yet: their record goes in before they do.
            if (!context.Response.HasStarted)
            {
                await AuditGate.RecordAsync(context).ConfigureAwait(false);
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
        catch (AuditUnavailableException ex)
        {
            await RefuseUnrecordedAsync(context, ex).ConfigureAwait(false);
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
            await RecordLateAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A search URL is parsed into parameters, values and chains before any of their own limits apply; refusing an
    /// over-long target first bounds that work. The raw target counts, as sent (percent-encoding included).
    /// </summary>
    private static void CheckUrlLength(HttpContext context, int maxLength)
    {
        string? target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        int length = target?.Length ?? (context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0);
        if (length > maxLength)
        {
            throw FhirException.BadRequest($"The request URL is {length} characters long; the limit is {maxLength}");
        }
    }

    /// <summary>
    /// What is left unrecorded after the response (a failure after the body started, a client gone): recorded now,
    /// and a failure here can only be logged.
    /// </summary>
    private async Task RecordLateAsync(HttpContext context)
    {
        if (AuditGate.IsSettled(context))
        {
            return;
        }

        try
        {
            await AuditGate.RecordAsync(context).ConfigureAwait(false);
        }
        catch (AuditUnavailableException ex)
        {
            LogAuditUnavailable(logger, ex.InnerException!, context.TraceIdentifier);
        }
    }

    /// <summary>Writes the error; an error that cannot be recorded either becomes the audit failure's 500.</summary>
    private async Task WriteAsync(HttpContext context, FhirException ex)
    {
        try
        {
            await WriteOutcomeAsync(context, ex).ConfigureAwait(false);
        }
        catch (AuditUnavailableException failure)
        {
            await RefuseUnrecordedAsync(context, failure).ConfigureAwait(false);
        }
    }

    private async Task RefuseUnrecordedAsync(HttpContext context, AuditUnavailableException ex)
    {
        LogAuditUnavailable(logger, ex.InnerException!, context.TraceIdentifier);

        // The gate does not try again after a failure, so this answer goes out unrecorded (and logged).
        await WriteOutcomeAsync(context, new FhirException(
            FhirErrorKind.Internal,
            new FhirIssue(OperationOutcome.IssueType.Transient, $"The request could not be recorded in the audit log, so it was not served; correlation id {context.TraceIdentifier}"))).ConfigureAwait(false);
    }

    private static async Task WriteOutcomeAsync(HttpContext context, FhirException ex)
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

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled failure; correlation id {CorrelationId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string correlationId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Audit record could not be written; request refused; correlation id {CorrelationId}")]
    private static partial void LogAuditUnavailable(ILogger logger, Exception exception, string correlationId);
}
