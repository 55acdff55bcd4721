using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Http;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using static OpenHip.Fhir.Api.Endpoints.FhirHandlers;

namespace OpenHip.Fhir.Api.Endpoints;

/// <summary>create and search on [base]/Type (also $operations at [base]/$op).</summary>
internal static class TypeEndpoints
{
    public static void Map(IEndpointRouteBuilder fhir)
    {
        fhir.MapPost("/{type}", CreateAsync);
        fhir.MapGet("/{type}", SearchAsync);
        fhir.MapPost("/{type}/{id}", PostToInstanceAsync);
    }

    private static async Task CreateAsync(HttpContext context, string type)
    {
        if (type.StartsWith('$'))
        {
            await OperationEndpoints.InvokeAsync(context, null, null, type).ConfigureAwait(false);
            return;
        }

        AuditItems.Set(context, "create", type);
        ResourceIds.EnsureKnownType(type);
        Resource body = await RequestBodyReader.ReadResourceAsync(context.Request, Options(context)).ConfigureAwait(false);
        if (body.TypeName != type)
        {
            throw FhirException.BadRequest($"The body is a {body.TypeName}, the URL names {type}", "resourceType");
        }

        InteractionResult result = await Service<ResourceService>(context)
            .CreateAsync(body, context.Request.Headers["If-None-Exist"].ToString(), RequestContext(context), context.RequestAborted).ConfigureAwait(false);
        await WriteResultAsync(context, result).ConfigureAwait(false);
    }

    private static Task SearchAsync(HttpContext context, string type)
    {
        if (type.StartsWith('$'))
        {
            return OperationEndpoints.InvokeAsync(context, null, null, type);
        }

        return SearchEndpoints.SearchTypeAsync(context, type);
    }

    private static Task PostToInstanceAsync(HttpContext context, string type, string id)
    {
        if (id.StartsWith('$'))
        {
            return OperationEndpoints.InvokeAsync(context, type, null, id);
        }

        ResourceIds.EnsureKnownType(type);
        throw new FhirException(FhirErrorKind.MethodNotAllowed, FhirIssue.NotSupported($"POST is not allowed on {type}/{id}; use PUT to update"));
    }
}
