using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// Who asked, as the audit log's BALP agents need it: client, person, purposes, address. Read from the token's claims
/// by their names in the security module's tokens (SmartClaims); the API layer does not reference the module.
/// </summary>
internal sealed record AuditCaller(string? ClientId, string? User, IReadOnlyList<string> PurposeOfUse, string? NetworkAddress)
{
    private const string ClientIdClaim = "client_id";
    private const string FhirUserClaim = "fhirUser";
    private const string PurposeOfUseClaim = "purpose_of_use";

    public static AuditCaller Of(HttpContext context)
    {
        string? address = context.Connection.RemoteIpAddress?.ToString();
        ClaimsPrincipal user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return new AuditCaller(null, null, [], address);
        }

        // Some token handlers split a space-separated claim into one claim per value: take them all.
        string[] purposes = [.. user.FindAll(PurposeOfUseClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];
        return new AuditCaller(One(user, ClientIdClaim), One(user, FhirUserClaim), purposes, address);
    }

    private static string? One(ClaimsPrincipal user, string type) => user.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;
}
