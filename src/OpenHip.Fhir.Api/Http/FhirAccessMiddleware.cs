using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// Turns the authenticated caller into the access policy every FHIR request carries. With a policy provider
/// registered (auth on), a FHIR request without a valid token is refused here, before any handler runs; only the
/// CapabilityStatement and SMART discovery stay public. Without one (auth off), every caller is unrestricted.
/// </summary>
internal sealed class FhirAccessMiddleware(RequestDelegate next, IOptions<FhirApiOptions> options, IAccessPolicyProvider? provider = null)
{
    private const string PolicyKey = "openhip.access-policy";

    public async Task InvokeAsync(HttpContext context)
    {
        if (provider is not null && context.Request.Path.StartsWithSegments(options.Value.BasePath, StringComparison.Ordinal, out PathString rest) && !IsPublic(rest))
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                throw FhirException.Unauthorized("This server needs a bearer access token (see /fhir/.well-known/smart-configuration)");
            }

            context.Items[PolicyKey] = await provider.GetPolicyAsync(context.User, context.RequestAborted).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
    }

    public static AccessPolicy PolicyOf(HttpContext context) =>
        context.Items.TryGetValue(PolicyKey, out object? policy) && policy is AccessPolicy access ? access
        : context.RequestServices.GetService(typeof(IAccessPolicyProvider)) is null ? AccessPolicy.Unrestricted
        : throw FhirException.Unauthorized("No access policy was established for this request");

    private static bool IsPublic(PathString rest) =>
        rest.Equals("/metadata", StringComparison.Ordinal) || rest.StartsWithSegments("/.well-known", StringComparison.Ordinal);
}
