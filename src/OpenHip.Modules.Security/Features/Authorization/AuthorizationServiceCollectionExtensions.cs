using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Modules.Security.Features.Admin;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Demo;
using OpenHip.Modules.Security.Features.Keys;
using OpenHip.Modules.Security.Features.Users;
using OpenHip.Modules.Security.Persistence;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenHip.Modules.Security.Features.Authorization;

public static class AuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// The OpenIddict authorization server (SMART App Launch and Backend Services) over the auth tables, and the
    /// "Bearer" scheme that validates access tokens on FHIR and admin requests. Invalid settings throw
    /// <see cref="OptionsValidationException"/> naming each one.
    /// </summary>
    public static IServiceCollection AddSmartAuthorization(this IServiceCollection services, IConfiguration configuration)
    {
        AuthOptions options = BindAuthOptions(configuration);
        AuthStoreOptions store = new();
        configuration.GetSection(AuthStoreOptions.SectionName).Bind(store);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<OpenHip.Fhir.Capabilities.ICapabilityContributor, SmartCapability>();
        services.AddAuthManagement(store);
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KeyRingServerOptions>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<KeyRingServerOptions>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<KeyRingServerOptions>());
        services.AddHostedService<KeyRingRefresher>();
        services.AddSingleton<ExternalIssuers>();
        services.AddSingleton<BearerTokenValidator>();
        services.AddScoped<JwksUrlKeys>();
        services.AddScoped<DemoAccess>();

        services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri(options.ResolvedIssuer));
            server.SetAuthorizationEndpointUris(AuthEndpoints.Authorize)
                .SetTokenEndpointUris(AuthEndpoints.Token)
                .SetIntrospectionEndpointUris(AuthEndpoints.Introspect)
                .SetJsonWebKeySetEndpointUris(AuthEndpoints.Jwks)
                .SetConfigurationEndpointUris(AuthEndpoints.OpenIdConfiguration);
            server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
            server.RequireProofKeyForCodeExchange();
            server.SetAccessTokenLifetime(options.AccessTokenLifetime)
                .SetIdentityTokenLifetime(options.AccessTokenLifetime)
                .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2))
                .SetRefreshTokenLifetime(options.RefreshTokenLifetime);

            // A rotated refresh token is dead at once: its reuse is refused and revokes the chain (authorization).
            server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);

            // Access tokens are signed JWTs the FHIR side validates itself (and other resource servers can).
            server.DisableAccessTokenEncryption();

            // SMART scopes are open-ended (patient/Observation.rs?category=...): the client's registered patterns decide
            // what is granted (ScopeGrant), the access policy what a scope means.
            server.DisableScopeValidation();
            server.IgnoreScopePermissions();
            server.RegisterScopes(SmartConfigurationEndpoint.ScopesSupported);
            server.RegisterClaims(SmartClaims.Patient, SmartClaims.FhirUser, SmartClaims.Source, SmartClaims.Role, SmartClaims.PurposeOfUse, SmartClaims.ClientKind);
            server.Configure(o =>
            {
                // PKCE S256 only: "plain" (or a missing method) is refused with invalid_request.
                o.CodeChallengeMethods.Clear();
                o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            });
            server.AddEventHandler(ClientAssertionChecks.Descriptor);
            server.AddEventHandler(ClientAssertionReplayGuard.Descriptor);
            server.AddEventHandler(ClientAssertionTypes.Descriptor);
            server.AddEventHandler(ClientAssertionTypes.AfterReading);

            OpenIddictServerAspNetCoreBuilder aspNetCore = server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough();
            if (!options.RequireHttps)
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }
        });

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AdminEndpoints.OperatorPolicy, policy => policy
            .AddAuthenticationSchemes(BearerAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole("operator"));
        services.AddRateLimiter(limiter => TokenRateLimiting.Configure(limiter, options));
        return services;
    }

    /// <summary>The auth tables and the client/user administration, without the server: what the CLI composes.</summary>
    public static IServiceCollection AddAuthManagement(this IServiceCollection services, AuthStoreOptions store)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthStorage(store);
        services.AddScoped<ClientAdministration>();
        services.AddScoped<UserAdministration>();
        services.AddTransient<JwksAllowListHandler>();
        services.AddHttpClient(JwksUrlKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5))
            .AddHttpMessageHandler<JwksAllowListHandler>();
        services.AddHttpClient(ExternalIssuers.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>Token endpoint limits, then authentication (OpenIddict's endpoints and bearer tokens), then authorization.</summary>
    public static WebApplication UseSmartAuthorization(this WebApplication app)
    {
        // The token limits and OpenIddict's request handler (which inspects every request it sees for its endpoints, a
        // tenth of a secured FHIR read's CPU) only concern the authorization server's paths; every other request
        // authenticates its bearer token alone.
        app.UseWhen(IsAuthorizationServerPath, branch =>
        {
            branch.Use((context, next) => TokenRateLimiting.ResolveClientIdAsync(context, next));
            branch.UseRateLimiter();
            branch.UseAuthentication();
        });
        app.UseWhen(context => !IsAuthorizationServerPath(context), branch => branch.Use(AuthenticateBearerAsync));

        // WebApplication adds UseAuthentication in front of everything unless it sees this marker, which a branch's
        // copy-on-write properties do not carry back.
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseAuthorization();
        return app;
    }

    private static bool IsAuthorizationServerPath(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/" + AuthEndpoints.OpenIdConfiguration, StringComparison.OrdinalIgnoreCase);

    // What UseAuthentication does for the bearer scheme, calling the (caching) validator directly: the handler pipeline
    // (scheme lookup, a handler per request, ticket) cost more than the cached validation itself. Endpoints with an
    // authorization policy still authenticate through the handler.
    private static async Task AuthenticateBearerAsync(HttpContext context, RequestDelegate next)
    {
        if (BearerAuthenticationHandler.TokenOf(context.Request) is { } token
            && await context.RequestServices.GetRequiredService<BearerTokenValidator>().ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } principal)
        {
            context.User = principal;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>The pass-through authorization and token endpoints, SMART discovery under the FHIR base, the admin API.</summary>
    public static IEndpointRouteBuilder MapSmartAuthorization(this IEndpointRouteBuilder endpoints)
    {
        AuthOptions options = endpoints.ServiceProvider.GetRequiredService<AuthOptions>();
        endpoints.MapMethods("/" + AuthEndpoints.Authorize, ["GET", "POST"], AuthorizeEndpoint.HandleAsync).DisableAntiforgery();
        endpoints.MapPost("/" + AuthEndpoints.Token, TokenEndpoint.HandleAsync).DisableAntiforgery();
        endpoints.MapGet(options.FhirBasePath.TrimEnd('/') + "/.well-known/smart-configuration", SmartConfigurationEndpoint.Handle);
        AdminEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>
    /// Before the first request: the auth schema's migrations, the keys (created on first start), and for the demo a
    /// development client and token printed to the console.
    /// </summary>
    public static async Task StartSmartAuthorizationAsync(this IServiceProvider services, CancellationToken ct)
    {
        AuthOptions options = services.GetRequiredService<AuthOptions>();
        IReadOnlyList<int> applied = await services.GetRequiredService<AuthSchemaMigrator>().MigrateAsync(ct).ConfigureAwait(false);
        KeyRing keys = services.GetRequiredService<KeyRing>();
        await keys.LoadAsync(options.SigningAlgorithm, ct).ConfigureAwait(false);
        AuthLog.Ready(services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenHip.Modules.Security"), options.ResolvedIssuer, keys.SigningKeys.Count, applied.Count == 0 ? "none" : string.Join(",", applied));
        if (options.Demo)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            (string clientId, string secret, string token) = await scope.ServiceProvider.GetRequiredService<DemoAccess>().PrepareAsync(ct).ConfigureAwait(false);
            DemoBanner.Print(Console.Out, options, clientId, secret, token);
        }
    }

    internal static AuthOptions BindAuthOptions(IConfiguration configuration)
    {
        var options = new AuthOptions();
        configuration.GetSection(AuthOptions.SectionName).Bind(options);
        List<ValidationResult> results = [];
        List<string> failures = [];
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{AuthOptions.SectionName}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (!Validator.TryValidateObject(options.RateLimit, new ValidationContext(options.RateLimit), results = [], validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{AuthOptions.SectionName}:RateLimit:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (!Uri.TryCreate(options.FhirBaseUrl, UriKind.Absolute, out _) || (options.Issuer is not null && !Uri.TryCreate(options.Issuer, UriKind.Absolute, out _)))
        {
            failures.Add($"{AuthOptions.SectionName}:Issuer: must be an absolute URL");
        }

        failures.AddRange(options.ExternalIssuers.Where(e => !Uri.TryCreate(e.Issuer, UriKind.Absolute, out _))
            .Select(e => $"{AuthOptions.SectionName}:ExternalIssuers: '{e.Issuer}' is not an absolute issuer URL"));
        return failures.Count == 0 ? options : throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), failures);
    }
}
