using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>Shared plumbing for the endpoint classes: services, context, and the common response shapes.</summary>
internal static class FhirHandlers
{
    public static FhirApiOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value;

    public static T Service<T>(HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    public static FhirRequestContext RequestContext(HttpContext context) => FhirContextFactory.Create(context, Options(context));

    public static long? IfMatch(HttpRequest request) =>
        Transactions.TransactionProcessor.ParseIfMatch(request.Headers.IfMatch.ToString(), "If-Match");

    /// <summary>Answers a write: Location and ETag always, then the body the client asked for with Prefer.</summary>
    public static async Task WriteResultAsync(HttpContext context, InteractionResult result)
    {
        string baseUrl = Options(context).BaseUrl.TrimEnd('/');
        if (result.Resource is { } stored)
        {
            FhirResponseWriter.SetVersionHeaders(context.Response, stored, baseUrl);
            if (result.Status == 201)
            {
                context.Response.Headers.Location = FhirResponseWriter.VersionUrl(stored, baseUrl);
            }
        }

        if (result.Resource is null || result.Resource.IsDeleted || result.Status == 204)
        {
            context.Response.StatusCode = result.Status;
            return;
        }

        switch (PreferHeader.Return(context.Request))
        {
            case ReturnPreference.Minimal:
                context.Response.StatusCode = result.Status;
                break;
            case ReturnPreference.OperationOutcome:
                var outcome = new OperationOutcome();
                outcome.Issue.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Information,
                    Code = OperationOutcome.IssueType.Informational,
                    Diagnostics = $"{result.Resource.Type}/{result.Resource.Id} version {result.Resource.VersionId} stored",
                });
                outcome.Issue.AddRange(FhirIssue.ToOperationOutcome(WriteWarnings.Current).Issue);
                await FhirResponseWriter.WriteResourceAsync(context, outcome, result.Status).ConfigureAwait(false);
                break;
            default:
                await FhirResponseWriter.WriteStoredAsync(context, result.Resource, result.Status, baseUrl).ConfigureAwait(false);
                break;
        }
    }

    public static string Query(HttpRequest request) =>
        request.QueryString.HasValue ? string.Join('&', request.Query
            .Where(q => !q.Key.StartsWith('_') || q.Key == "_id")
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"))) : string.Empty;

    public static void RequireQuery(string query, string interaction)
    {
        if (query.Length == 0)
        {
            throw FhirException.BadRequest($"A conditional {interaction} needs search criteria in the URL");
        }
    }
}
