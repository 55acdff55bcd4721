using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OpenHip.Fhir.Api.Http;

/// <summary>
/// Who asked, as the audit log's BALP agents need it: name, institution, client, person, purposes, address. Read from
/// the token's claims by their names in the security module's tokens (SmartClaims); the API layer does not reference
/// the module.
/// </summary>
internal sealed record AuditCaller(string? ClientId, string? User, IReadOnlyList<string> PurposeOfUse, string? NetworkAddress)
{
    private const string ClientIdClaim = "client_id";
    private const string FhirUserClaim = "fhirUser";
    private const string PurposeOfUseClaim = "purpose_of_use";

    // The institution claim (SmartClaims.Source): BALP's organisation of the user.
    private const string SourceClaim = "openhip_source";

    // The bearer-token validator hands out one principal per token for the token's lifetime, so its claims are read once
    // rather than searched on every request (twice per request: the engine's context and the audit record).
    private static readonly ConditionalWeakTable<ClaimsPrincipal, AuditCaller> OfPrincipal = [];

    /// <summary>The authenticated caller's name (null when anonymous).</summary>
    public string? Name { get; private init; }

    /// <summary>The caller's institution (null when anonymous or not given).</summary>
    public string? Source { get; private init; }

    public static AuditCaller Of(HttpContext context)
    {
        string? address = context.Connection.RemoteIpAddress?.ToString();
        ClaimsPrincipal user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return new AuditCaller(null, null, [], address);
        }

        AuditCaller claims = OfPrincipal.GetValue(user, FromClaims);
        return claims with { NetworkAddress = address };
    }

    private static AuditCaller FromClaims(ClaimsPrincipal user)
    {
        // Some token handlers split a space-separated claim into one claim per value: take them all.
        string[] purposes = [.. user.FindAll(PurposeOfUseClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];
        return new AuditCaller(One(user, ClientIdClaim), One(user, FhirUserClaim), purposes, null)
        {
            Name = user.Identity!.Name,
            Source = user.FindFirst(SourceClaim)?.Value,
        };
    }

    private static string? One(ClaimsPrincipal user, string type) => user.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;
}
