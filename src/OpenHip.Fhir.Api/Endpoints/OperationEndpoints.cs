using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Resources;
using static OpenHip.Fhir.Api.Endpoints.FhirHandlers;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>$operations at system, type and instance level, dispatched through the engine's registry.</summary>
internal static class OperationEndpoints
{
    public static void Map(IEndpointRouteBuilder fhir)
    {
        fhir.MapMethods("/{type}/{id}/{operation}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context, string type, string id, string operation) =>
            operation == "$everything" ? SearchEndpoints.EverythingAsync(context, type, id)
            : operation.StartsWith('$') ? InvokeAsync(context, type, id, operation)
            : HttpMethods.IsGet(context.Request.Method) ? SearchEndpoints.SearchCompartmentAsync(context, type, id, operation)
            : throw FhirException.NotFound($"No FHIR endpoint at {context.Request.Path}"));
    }

    public static async Task InvokeAsync(HttpContext context, string? type, string? id, string operationSegment)
    {
        string name = operationSegment[1..];
        AuditItems.Set(context, "operation", $"${name}");
        OperationLevel level = id is not null ? OperationLevel.Instance : type is not null ? OperationLevel.Type : OperationLevel.System;
        if (type is not null)
        {
            ResourceIds.EnsureKnownType(type);
        }

        if (id is not null)
        {
            ResourceIds.EnsureValidId(id);
        }

        IFhirOperation operation = Service<OperationRegistry>(context).Find(name, level);
        Requests.FhirRequestContext requestContext = RequestContext(context);
        if (!requestContext.Access.Allows(operation.Access, type))
        {
            throw FhirException.Forbidden($"The access granted to {requestContext.Access} does not cover ${name}");
        }

        bool isPost = HttpMethods.IsPost(context.Request.Method);
        if (!isPost && !operation.IsIdempotent)
        {
            throw new FhirException(FhirErrorKind.MethodNotAllowed, FhirIssue.NotSupported($"${name} changes data and must be invoked with POST"));
        }

        Resource? body = isPost && (context.Request.ContentLength is > 0 || context.Request.ContentType is not null)
            ? await RequestBodyReader.ReadResourceAsync(context.Request, Options(context)).ConfigureAwait(false)
            : null;
        Dictionary<string, string[]> query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal);
        string[] accept = [.. context.Request.GetTypedHeaders().Accept.Select(a => a.MediaType.Value ?? string.Empty)];
        var operationRequest = new OperationRequest(level, type, id, body, query, requestContext, isPost) { Accept = accept };
        OperationResult result = await operation.ExecuteAsync(operationRequest, context.RequestAborted).ConfigureAwait(false);
        if (result.Raw && result.Resource is Binary binary)
        {
            // The operation chose a non-FHIR format (e.g. CSV) from _format or Accept; content negotiation does not apply.
            context.Response.StatusCode = result.Status;
            context.Response.ContentType = binary.ContentType;
            await AuditGate.RecordAsync(context).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(binary.Data ?? [], context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await FhirResponseWriter.WriteResourceAsync(context, result.Resource, result.Status).ConfigureAwait(false);
    }
}
