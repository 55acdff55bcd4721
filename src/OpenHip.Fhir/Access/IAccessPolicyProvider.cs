using System.Security.Claims;

namespace OpenHip.Fhir.Access;

/// <summary>
/// Compiles an authenticated caller (the validated access token's claims) into the policy the engine applies inside
/// every query. The security module provides it; without it (auth off) every caller is unrestricted.
/// </summary>
public interface IAccessPolicyProvider
{
    ValueTask<AccessPolicy> GetPolicyAsync(ClaimsPrincipal caller, CancellationToken cancellationToken);
}
