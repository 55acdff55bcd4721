using System.Security.Claims;
using OpenHip.Fhir.Access;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>
/// Test-only stand-in for the access policy provider (built on another branch): its presence makes the FHIR access
/// middleware demand an authenticated caller, which is what these tests prove end to end.
/// </summary>
internal sealed class UnrestrictedForAuthenticatedCallers : IAccessPolicyProvider
{
    public ValueTask<AccessPolicy> GetPolicyAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) => ValueTask.FromResult(AccessPolicy.Unrestricted);
}
