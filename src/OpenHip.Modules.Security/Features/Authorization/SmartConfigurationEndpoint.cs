using Microsoft.AspNetCore.Http;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>SMART App Launch 2.x discovery (<c>[base]/.well-known/smart-configuration</c>).</summary>
internal static class SmartConfigurationEndpoint
{
    public static readonly string[] Capabilities =
    [
        "launch-standalone", "client-public", "client-confidential-symmetric", "client-confidential-asymmetric",
        "context-standalone-patient", "permission-offline", "permission-online", "permission-patient", "permission-user",
        "permission-v1", "permission-v2", "sso-openid-connect",
    ];

    public static readonly string[] ScopesSupported =
    [
        "openid", "fhirUser", "launch/patient", "offline_access", "online_access",
        "patient/*.rs", "user/*.cruds", "system/*.rs", "patient/*.read", "user/*.read", "system/*.read",
    ];

    private static readonly string[] GrantTypes = ["authorization_code", "refresh_token", "client_credentials"];
    private static readonly string[] AuthMethods = ["private_key_jwt", "client_secret_basic"];
    private static readonly string[] AssertionAlgorithms = ["RS384", "ES384"];
    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] ChallengeMethods = ["S256"];

    public static IResult Handle(AuthOptions options) => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = options.ResolvedIssuer,
        ["authorization_endpoint"] = AuthEndpoints.Url(options, AuthEndpoints.Authorize),
        ["token_endpoint"] = AuthEndpoints.Url(options, AuthEndpoints.Token),
        ["introspection_endpoint"] = AuthEndpoints.Url(options, AuthEndpoints.Introspect),
        ["jwks_uri"] = AuthEndpoints.Url(options, AuthEndpoints.Jwks),
        ["grant_types_supported"] = GrantTypes,
        ["token_endpoint_auth_methods_supported"] = AuthMethods,
        ["token_endpoint_auth_signing_alg_values_supported"] = AssertionAlgorithms,
        ["scopes_supported"] = ScopesSupported,
        ["response_types_supported"] = ResponseTypes,
        ["code_challenge_methods_supported"] = ChallengeMethods,
        ["capabilities"] = Capabilities,
    });
}
