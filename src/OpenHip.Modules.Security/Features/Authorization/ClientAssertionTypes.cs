using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// OpenIddict 7 accepts client assertions typed <c>client-authentication+jwt</c> only; SMART Backend Services clients
/// send <c>typ: JWT</c> (the spec's example), so that type is accepted for client assertions too. Access tokens and
/// the other token types keep OpenIddict's strict types. Likewise the SMART audience (the endpoint URL).
/// </summary>
internal sealed class ClientAssertionTypes : IOpenIddictServerHandler<ValidateTokenContext>
{
    // OpenIddict 7's internal token type of client assertions.
    private const string ClientAssertionTokenType = "urn:openiddict:params:oauth:token-type:client_assertion";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<ClientAssertionTypes>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <summary>The same handler once the token is read: a JWT-typed assertion is then typed as a client assertion.</summary>
    public static OpenIddictServerHandlerDescriptor AfterReading { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<ClientAssertionTypes>()
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.ValidTokenTypes.Count != 1 || !context.ValidTokenTypes.Contains(ClientAssertionTokenType))
        {
            return ValueTask.CompletedTask;
        }

        if (context.Principal is { } principal)
        {
            principal.SetTokenType(ClientAssertionTokenType);
        }
        else if (context.TokenValidationParameters is { } parameters)
        {
            parameters.ValidTypes = [.. parameters.ValidTypes ?? [], "JWT", "application/jwt"];

            // OpenIddict 7 follows RFC 7523bis (aud = the issuer); SMART says aud = the token endpoint, which
            // ClientAssertionChecks has already required exactly (the introspection endpoint for introspection).
            if (context.Options.Issuer is { } issuer)
            {
                context.ValidAudiences.Add(issuer.AbsoluteUri + AuthEndpoints.Token);
                context.ValidAudiences.Add(issuer.AbsoluteUri + AuthEndpoints.Introspect);
            }
        }

        return ValueTask.CompletedTask;
    }
}
