using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenHip.Fhir.Api.Endpoints;
using OpenHip.Fhir.Api.Http;

namespace OpenHip.Fhir.Api;

/// <summary>Maps the FHIR REST API under the configured base path.</summary>
public static class FhirApiEndpointExtensions
{
    public static IApplicationBuilder UseFhirErrors(this IApplicationBuilder app) => app.UseMiddleware<FhirErrorMiddleware>();

    /// <summary>After authentication: every FHIR request gets its caller's access policy (or a 401).</summary>
    public static IApplicationBuilder UseFhirAccess(this IApplicationBuilder app) => app.UseMiddleware<FhirAccessMiddleware>();

    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder endpoints, string basePath)
    {
        RouteGroupBuilder fhir = endpoints.MapGroup(basePath);
        SystemEndpoints.Map(fhir);
        TypeEndpoints.Map(fhir);
        SearchEndpoints.Map(fhir);
        InstanceEndpoints.Map(fhir);
        OperationEndpoints.Map(fhir);
        return endpoints;
    }
}
