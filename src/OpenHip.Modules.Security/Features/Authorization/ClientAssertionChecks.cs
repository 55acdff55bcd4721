using Microsoft.IdentityModel.JsonWebTokens;
using OpenHip.Modules.Security.Features.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// SMART Backend Services rules OpenIddict does not enforce, checked before it validates the assertion's signature:
/// RS384/ES384 only (so <c>none</c> and HS256 never reach key resolution), <c>exp</c> at most 5 minutes ahead,
/// <c>aud</c> exactly the token endpoint, <c>iss</c> = <c>sub</c> = client_id, a <c>jti</c>; and, for clients
/// registered with a JWKS URL on the allow-list, the current keys fetched into the client's key set.
/// </summary>
internal sealed class ClientAssertionChecks(AuthOptions options, TimeProvider time, JwksUrlKeys jwksUrlKeys, IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { "RS384", "ES384" };

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseScopedHandler<ClientAssertionChecks>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order - 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (string.IsNullOrEmpty(context.ClientAssertion))
        {
            return;
        }

        JsonWebToken assertion;
        try
        {
            assertion = new JsonWebToken(context.ClientAssertion);
        }
        catch (ArgumentException)
        {
            context.Reject(Errors.InvalidClient, "the client assertion is not a JWT");
            return;
        }

        string? problem = Check(assertion, context.EndpointType);
        if (problem is not null)
        {
            context.Reject(Errors.InvalidClient, problem);
            return;
        }

        object? application = await applications.FindByClientIdAsync(assertion.Issuer).ConfigureAwait(false);
        if (application is null)
        {
            context.Reject(Errors.InvalidClient, "unknown client");
            return;
        }

        string? jwksUrl = (await applications.GetPropertiesAsync(application).ConfigureAwait(false))
            .TryGetValue(ClientProperties.JwksUrl, out System.Text.Json.JsonElement url) ? url.GetString() : null;
        if (jwksUrl is not null)
        {
            if (!options.JwksUrlAllowList.Any(allowed => jwksUrl.StartsWith(allowed, StringComparison.Ordinal)))
            {
                context.Reject(Errors.InvalidClient, "the client's JWKS URL is not on the allow-list (Security:Auth:JwksUrlAllowList)");
                return;
            }

            if (!await jwksUrlKeys.SyncAsync(application, jwksUrl, assertion.Kid, context.CancellationToken).ConfigureAwait(false))
            {
                context.Reject(Errors.InvalidClient, "the client's JWKS URL could not be read");
            }
        }
    }

    private string? Check(JsonWebToken assertion, OpenIddictServerEndpointType endpoint)
    {
        if (!Algorithms.Contains(assertion.Alg))
        {
            return "client assertions must be signed with RS384 or ES384";
        }

        if (string.IsNullOrEmpty(assertion.Issuer) || !string.Equals(assertion.Issuer, assertion.Subject, StringComparison.Ordinal))
        {
            return "the assertion's iss and sub must both be the client_id";
        }

        string expected = AuthEndpoints.Url(options, endpoint == OpenIddictServerEndpointType.Introspection ? AuthEndpoints.Introspect : AuthEndpoints.Token);
        if (!assertion.Audiences.Contains(expected, StringComparer.Ordinal))
        {
            return $"the assertion's aud must be {expected}";
        }

        if (!assertion.TryGetPayloadValue(Claims.ExpiresAt, out long exp))
        {
            return "the assertion has no exp";
        }

        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        DateTimeOffset now = time.GetUtcNow();
        if (expires > now + options.MaxAssertionLifetime + options.ClockSkew)
        {
            return $"the assertion's exp may be at most {options.MaxAssertionLifetime.TotalMinutes:0} minutes ahead";
        }

        if (expires < now - options.ClockSkew)
        {
            return "the assertion has expired";
        }

        return string.IsNullOrEmpty(assertion.Id) ? "the assertion has no jti" : null;
    }
}
