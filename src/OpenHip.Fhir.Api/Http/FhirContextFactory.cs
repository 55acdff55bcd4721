using Microsoft.AspNetCore.Http;
using OpenHip.Fhir.Requests;

namespace OpenHip.Fhir.Api.Http;

/// <summary>Builds the engine's request context from an HTTP request (the caller's identity joins with access control).</summary>
internal static class FhirContextFactory
{
    public static FhirRequestContext Create(HttpContext context, FhirApiOptions options) =>
        new(options.BaseUrl.TrimEnd('/'), context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null, null, context.TraceIdentifier)
        {
            Access = FhirAccessMiddleware.PolicyOf(context),
        };
}
