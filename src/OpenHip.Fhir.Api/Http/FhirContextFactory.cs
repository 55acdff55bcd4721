using Microsoft.AspNetCore.Http;
using OpenHip.Fhir.Requests;

namespace OpenHip.Fhir.Api.Http;

/// <summary>Builds the engine's request context from an HTTP request (the caller's identity joins with access control).</summary>
internal static class FhirContextFactory
{
    // Claim names as the security module's tokens carry them (SmartClaims); the API layer does not reference the module.
    private const string SubjectClaim = "sub";
    private const string SourceClaim = "openhip_source";

    public static FhirRequestContext Create(HttpContext context, FhirApiOptions options)
    {
        bool authenticated = context.User.Identity?.IsAuthenticated == true;
        string? who = authenticated ? context.User.Identity!.Name ?? context.User.FindFirst(SubjectClaim)?.Value : null;
        string? source = authenticated ? context.User.FindFirst(SourceClaim)?.Value : null;
        AuditCaller caller = AuditCaller.Of(context);
        return new(options.BaseUrl.TrimEnd('/'), who, source, context.TraceIdentifier)
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
