using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// The token endpoint after OpenIddict authenticated the client (secret or private_key_jwt, with the checks in
/// <see cref="ClientAssertionChecks"/>) and redeemed the code or refresh token: issues the SMART tokens and adds the
/// launch context (<c>patient</c>) to the token response.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAdministration clients, UserAdministration users, AuthOptions options)
    {
        OpenIddictRequest request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict request is missing");
        if (request.IsClientCredentialsGrantType())
        {
            ClientRegistration client = (await clients.FindAsync(request.ClientId!, context.RequestAborted).ConfigureAwait(false))!;
            string? purpose = (string?)request["purpose_of_use"];
            if (purpose is not null && !client.PurposesOfUse.Contains(purpose))
            {
                return Results.Forbid(AuthorizeEndpoint.Error(Errors.InvalidRequest, "purpose_of_use is not registered for this client"), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            ClaimsIdentity identity = SmartIdentity.Create();
            SmartIdentity.Add(identity, SmartClaims.Subject, client.ClientId);
            SmartIdentity.Add(identity, SmartClaims.Source, client.Source);
            SmartIdentity.Add(identity, SmartClaims.ClientKind, "system");
            SmartIdentity.Add(identity, SmartClaims.PurposeOfUse, purpose);

            // Backend services get system scopes only, and no refresh token (SMART Backend Services).
            IReadOnlyList<string> scopes = ScopeGrant.Grant(request.GetScopes(), client.Scopes)
                .Where(s => s.StartsWith("system/", StringComparison.Ordinal)).ToList();
            return Results.SignIn(SmartIdentity.Finish(identity, scopes, options.FhirBaseUrl), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            AuthenticateResult redeemed = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false);
            ClaimsPrincipal? principal = redeemed.Principal;
            string? subject = principal?.GetClaim(Claims.Subject);

            // A user removed since sign-in gets no new tokens.
            if (principal is null || subject is null || await users.FindByIdAsync(subject, context.RequestAborted).ConfigureAwait(false) is null)
            {
                return Results.Forbid(AuthorizeEndpoint.Error(Errors.InvalidGrant, "the user is no longer allowed to sign in"), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var properties = new AuthenticationProperties();
            if (principal.GetClaim(SmartClaims.Patient) is { } patient)
            {
                properties.Parameters[SmartClaims.Patient] = patient;
            }

            return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Results.Forbid(AuthorizeEndpoint.Error(Errors.UnsupportedGrantType, "this grant type is not supported"), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
