namespace OpenHip.Modules.Security.Features.Clients;

/// <summary>
/// A client as the CLI and the admin API register it. Stored as an OpenIddict application; the SMART parts OpenIddict
/// has no field for (allowed scopes, institution, JWKS URL, purposes of use) live in its properties.
/// </summary>
public sealed record ClientRegistration
{
    public required string ClientId { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>A public client (browser or mobile app) has no credentials; PKCE protects its codes.</summary>
    public bool Public { get; init; }

    /// <summary>A confidential symmetric client's secret (client_secret_basic). Stored hashed by OpenIddict.</summary>
    public string? Secret { get; init; }

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>Scopes the client may be granted; <c>*</c> at the end of an entry matches any suffix (<c>system/*</c>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary><c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary>The institution the client writes for: the <c>openhip_source</c> claim of its tokens.</summary>
    public string? Source { get; init; }

    /// <summary>Inline JWKS (JSON) with the public keys of its client assertions (private_key_jwt).</summary>
    public string? Jwks { get; init; }

    /// <summary>Or a JWKS URL, which must be on Security:Auth:JwksUrlAllowList; fetched at the token endpoint.</summary>
    public string? JwksUrl { get; init; }

    /// <summary>Purposes of use the client may ask for (<c>purpose_of_use</c> token request parameter).</summary>
    public IReadOnlyList<string> PurposesOfUse { get; init; } = [];
}
