using Microsoft.AspNetCore.Http;
using OpenHip.Fhir.Requests;

namespace OpenHip.Fhir.Api.Http;

/// <summary>Builds the engine's request context from an HTTP request (the caller's identity joins with access control).</summary>
internal static class FhirContextFactory
{
    // Claim names as the security module's tokens carry them (SmartClaims); the API layer does not reference the module.
    private const string SubjectClaim = "sub";

    public static FhirRequestContext Create(HttpContext context, FhirApiOptions options)
    {
        bool authenticated = context.User.Identity?.IsAuthenticated == true;
        AuditCaller caller = AuditCaller.Of(context);
        string? who = authenticated ? caller.Name ?? context.User.FindFirst(SubjectClaim)?.Value : null;
        return new(options.BaseUrl.TrimEnd('/'), who, caller.Source, context.TraceIdentifier)
        {
            ClientId = caller.ClientId,
            User = caller.User,
            PurposeOfUse = caller.PurposeOfUse,
            NetworkAddress = caller.NetworkAddress,
            Access = FhirAccessMiddleware.PolicyOf(context),
            AuditedWrites = AuditGate.Writes(context),
        };
    }
}
