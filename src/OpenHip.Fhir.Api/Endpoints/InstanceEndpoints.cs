using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Transactions;
using static OpenHip.Fhir.Api.Endpoints.FhirHandlers;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>read, vread, update, patch, delete on [base]/Type/id (and conditional update/delete on [base]/Type?query).</summary>
internal static class InstanceEndpoints
{
    public static void Map(IEndpointRouteBuilder fhir)
    {
        fhir.MapMethods("/{type}/{id}", [HttpMethods.Get, HttpMethods.Head], ReadAsync);
        fhir.MapGet("/{type}/{id}/_history/{vid}", VReadAsync);
        fhir.MapPut("/{type}/{id}", UpdateAsync);
        fhir.MapPut("/{type}", ConditionalUpdateAsync);
        fhir.MapPatch("/{type}/{id}", PatchAsync);
        fhir.MapDelete("/{type}/{id}", DeleteAsync);
        fhir.MapDelete("/{type}", ConditionalDeleteAsync);
    }

    private static async Task ReadAsync(HttpContext context, string type, string id)
    {
        if (id.StartsWith('$'))
        {
            await OperationEndpoints.InvokeAsync(context, type, null, id).ConfigureAwait(false);
            return;
        }

        AuditItems.Set(context, "read", $"{type}/{id}");
        StoredResource stored = await Service<ResourceService>(context).ReadAsync(type, id, RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);
        await AuditPatients.NoteAsync(context, [stored]).ConfigureAwait(false);
        if (NotModified(context.Request, stored))
        {
            FhirResponseWriter.SetVersionHeaders(context.Response, stored, Options(context).BaseUrl.TrimEnd('/'));
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await FhirResponseWriter.WriteStoredAsync(context, stored, 200, Options(context).BaseUrl.TrimEnd('/')).ConfigureAwait(false);
    }

    private static async Task VReadAsync(HttpContext context, string type, string id, string vid)
    {
        AuditItems.Set(context, "vread", $"{type}/{id}/_history/{vid}");
        StoredResource stored = await Service<ResourceService>(context).VReadAsync(type, id, vid, RequestContext(context).Access, context.RequestAborted).ConfigureAwait(false);
        await AuditPatients.NoteAsync(context, [stored]).ConfigureAwait(false);
        await FhirResponseWriter.WriteStoredAsync(context, stored, 200, Options(context).BaseUrl.TrimEnd('/')).ConfigureAwait(false);
    }

    private static async Task UpdateAsync(HttpContext context, string type, string id)
    {
        AuditItems.Set(context, "update", $"{type}/{id}");
        Resource body = await RequestBodyReader.ReadResourceAsync(context.Request, Options(context)).ConfigureAwait(false);
        InteractionResult result = await Service<ResourceService>(context)
            .UpdateAsync(type, id, body, IfMatch(context.Request), RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        await WriteResultAsync(context, result).ConfigureAwait(false);
    }

    private static async Task ConditionalUpdateAsync(HttpContext context, string type)
    {
        AuditItems.Set(context, "update", type);
        string query = Query(context.Request);
        RequireQuery(query, "update");
        Resource body = await RequestBodyReader.ReadResourceAsync(context.Request, Options(context)).ConfigureAwait(false);
        InteractionResult result = await Service<ResourceService>(context)
            .ConditionalUpdateAsync(type, query, body, IfMatch(context.Request), RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        await WriteResultAsync(context, result).ConfigureAwait(false);
    }

    private static async Task PatchAsync(HttpContext context, string type, string id)
    {
        AuditItems.Set(context, "patch", $"{type}/{id}");
        Resource patch = await ReadPatchAsync(context.Request).ConfigureAwait(false);
        IPatchHandler patches = Service<IPatchHandler>(context);
        InteractionResult result = await Service<ResourceService>(context)
            .PatchAsync(type, id, current => patches.Apply(current, patch), IfMatch(context.Request), RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        await WriteResultAsync(context, result).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext context, string type, string id)
    {
        AuditItems.Set(context, "delete", $"{type}/{id}");
        InteractionResult result = await Service<ResourceService>(context)
            .DeleteAsync(type, id, IfMatch(context.Request), RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        if (result.Resource is { } stored)
        {
            context.Response.Headers.ETag = $"W/\"{stored.VersionId}\"";
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task ConditionalDeleteAsync(HttpContext context, string type)
    {
        AuditItems.Set(context, "delete", type);
        string query = Query(context.Request);
        RequireQuery(query, "delete");
        await Service<ResourceService>(context).ConditionalDeleteAsync(type, query, RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>JSON Patch travels as a Binary to the engine so one patch contract serves REST and Bundles.</summary>
    private static async Task<Resource> ReadPatchAsync(HttpRequest request)
    {
        string contentType = request.ContentType ?? string.Empty;
        if (contentType.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase))
        {
            byte[] body = await RequestBodyReader.ReadBytesAsync(request, Options(request.HttpContext).MaxRequestBodyBytes).ConfigureAwait(false);
            return new Binary { ContentType = "application/json-patch+json", Data = body };
        }

        Resource parameters = await RequestBodyReader.ReadResourceAsync(request, Options(request.HttpContext)).ConfigureAwait(false);
        return parameters is Parameters
            ? parameters
            : throw FhirException.BadRequest("A FHIRPath Patch body must be a Parameters resource", "resourceType");
    }

    /// <summary>If-None-Match (version ETag) and If-Modified-Since (second precision, as HTTP dates are) on read.</summary>
    private static bool NotModified(HttpRequest request, StoredResource stored)
    {
        string ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
        {
            return ifNoneMatch.Split(',', StringSplitOptions.TrimEntries)
                .Any(tag => tag == "*" || tag.Replace("W/", string.Empty, StringComparison.Ordinal).Trim('"') == stored.VersionId.ToString(CultureInfo.InvariantCulture));
        }

        string ifModifiedSince = request.Headers.IfModifiedSince.ToString();
        return ifModifiedSince.Length > 0
            && DateTimeOffset.TryParse(ifModifiedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset since)
            && stored.LastUpdated.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }
}
