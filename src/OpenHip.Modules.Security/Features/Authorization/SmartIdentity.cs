using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>Builds the identity OpenIddict turns into tokens, with the SMART claim names and their destinations.</summary>
internal static class SmartIdentity
{
    public static ClaimsIdentity Create() => new(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);

    public static void Add(ClaimsIdentity identity, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            identity.AddClaim(new Claim(type, value));
        }
    }

    /// <summary>Everything goes into the access token; sub and fhirUser also into the id_token when openid was granted.</summary>
    public static ClaimsPrincipal Finish(ClaimsIdentity identity, IReadOnlyList<string> scopes, string audience)
    {
        identity.SetScopes(scopes);
        identity.SetResources(audience);
        bool idToken = scopes.Contains(Scopes.OpenId);
        identity.SetDestinations(claim => claim.Type switch
        {
            SmartClaims.Subject when idToken => [Destinations.AccessToken, Destinations.IdentityToken],
            SmartClaims.FhirUser when idToken && scopes.Contains("fhirUser") => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }
}
