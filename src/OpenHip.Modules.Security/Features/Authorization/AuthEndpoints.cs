namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>The authorization server's paths (relative to the issuer, which is the server's origin).</summary>
public static class AuthEndpoints
{
    public const string Authorize = "auth/authorize";
    public const string Token = "auth/token";
    public const string Introspect = "auth/introspect";
    public const string Jwks = "auth/jwks";
    public const string OpenIdConfiguration = ".well-known/openid-configuration";

    public static string Url(AuthOptions options, string path) => options.ResolvedIssuer + path;
}
