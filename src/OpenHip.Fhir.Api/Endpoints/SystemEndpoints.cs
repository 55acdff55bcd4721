using System.Reflection;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Capabilities;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using static OpenHip.Fhir.Api.Endpoints.FhirHandlers;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>[base]/metadata, batch/transaction at [base], and _history at every level.</summary>
internal static class SystemEndpoints
{
    private static readonly string SoftwareVersion =
        typeof(SystemEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static void Map(IEndpointRouteBuilder fhir)
    {
        fhir.MapGet("/metadata", MetadataAsync);
        fhir.MapPost("/", BundleAsync);
        fhir.MapGet("/_history", (HttpContext context) => HistoryAsync(context, null, null));
        fhir.MapGet("/{type}/_history", (HttpContext context, string type) => HistoryAsync(context, type, null));
        fhir.MapGet("/{type}/{id}/_history", (HttpContext context, string type, string id) => HistoryAsync(context, type, id));
    }

    private static Task MetadataAsync(HttpContext context)
    {
        AuditItems.Set(context, "capabilities");
        CapabilityStatement statement = Service<CapabilityStatementBuilder>(context).Build(Options(context).BaseUrl.TrimEnd('/'), SoftwareVersion);
        return FhirResponseWriter.WriteResourceAsync(context, statement, 200);
    }

    private static async Task BundleAsync(HttpContext context)
    {
        int maxEntries = Service<Microsoft.Extensions.Options.IOptions<FhirEngineOptions>>(context).Value.MaxBundleEntries;
        Resource body = await RequestBodyReader.ReadResourceAsync(context.Request, Options(context), maxEntries).ConfigureAwait(false);
        if (body is not Bundle bundle)
        {
            throw FhirException.BadRequest($"POST to the base expects a batch or transaction Bundle, not a {body.TypeName}", "resourceType");
        }

        bool representation = PreferHeader.Return(context.Request) == ReturnPreference.Representation && context.Request.Headers.ContainsKey("Prefer");
        ResponseBundle response;
        switch (bundle.Type)
        {
            case Bundle.BundleType.Transaction:
                AuditItems.Set(context, "transaction");
                response = await Service<TransactionProcessor>(context).ProcessAsync(bundle, RequestContext(context), representation, context.RequestAborted).ConfigureAwait(false);
                break;
            case Bundle.BundleType.Batch:
                AuditItems.Set(context, "batch");
                response = await Service<BatchProcessor>(context).ProcessAsync(bundle, RequestContext(context), representation, context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                throw FhirException.BadRequest("POST to the base expects Bundle.type batch or transaction", "Bundle.type");
        }

        await FhirResponseWriter.WriteBundleAsync(context, response, Options(context).BaseUrl.TrimEnd('/')).ConfigureAwait(false);
    }

    private static async Task HistoryAsync(HttpContext context, string? type, string? id)
    {
        AuditItems.Set(context, id is not null ? "history-instance" : type is not null ? "history-type" : "history-system", id is null ? type : $"{type}/{id}");
        FhirEngineOptions engine = Service<Microsoft.Extensions.Options.IOptions<FhirEngineOptions>>(context).Value;
        IQueryCollection query = context.Request.Query;
        int count = ParseInt(query["_count"], "_count") is { } c ? Math.Clamp(c, 1, engine.MaxPageSize) : engine.DefaultPageSize;
        DateTimeOffset? since = ParseInstant(query["_since"], "_since");
        long? before = ParseLong(query["_page"], "_page");
        HistoryPage page = await Service<ResourceService>(context)
            .HistoryAsync(new HistoryQuery(type, id, since, count, before), RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);
        if (id is not null && page.Total == 0)
        {
            throw FhirException.NotFound($"{type}/{id} is not known");
        }

        string baseUrl = Options(context).BaseUrl.TrimEnd('/');
        string self = $"{baseUrl}{(type is null ? string.Empty : "/" + type)}{(id is null ? string.Empty : "/" + id)}/_history";
        string common = $"_count={count}{(since is null ? string.Empty : "&_since=" + Uri.EscapeDataString(query["_since"].ToString()))}";
        var bundle = new ResponseBundle(Bundle.BundleType.History) { Total = page.Total };
        bundle.Links.Add(new("self", $"{self}?{common}{(before is null ? string.Empty : $"&_page={before}")}"));
        if (page.NextBefore is { } next)
        {
            bundle.Links.Add(new("next", $"{self}?{common}&_page={next}"));
        }

        foreach (StoredResource version in page.Entries)
        {
            bundle.Entries.Add(new ResponseEntry
            {
                FullUrl = $"{version.Type}/{version.Id}",
                ResourceJson = version.IsDeleted ? null : version.Json,
                RequestMethod = version.Method switch { WriteMethod.Create => "POST", WriteMethod.Delete => "DELETE", WriteMethod.Patch => "PATCH", _ => "PUT" },
                RequestUrl = version.Method == WriteMethod.Create ? version.Type : $"{version.Type}/{version.Id}",
                Status = HttpStatusText.Of(version.Method switch { WriteMethod.Create => 201, WriteMethod.Delete => 204, _ => 200 }),
                Etag = $"W/\"{version.VersionId}\"",
                LastModified = version.LastUpdated,
            });
        }

        await FhirResponseWriter.WriteBundleAsync(context, bundle, baseUrl).ConfigureAwait(false);
    }

    private static int? ParseInt(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v
        : throw FhirException.BadRequest($"{name} must be a non-negative integer");

    private static long? ParseLong(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v
        : throw FhirException.BadRequest($"{name} is not a page cursor this server issued");

    private static DateTimeOffset? ParseInstant(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset v) ? v
        : throw FhirException.BadRequest($"{name} must be an instant, e.g. 2026-01-01T00:00:00Z");
}
