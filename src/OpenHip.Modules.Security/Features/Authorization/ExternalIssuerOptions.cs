namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>A trusted OpenID Connect provider: its tokens are accepted and their claims mapped to <see cref="SmartClaims"/>.</summary>
public sealed class ExternalIssuerOptions
{
    /// <summary>The <c>iss</c> value its tokens carry.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The audience its tokens must carry (default: the FHIR base URL).</summary>
    public string? Audience { get; set; }

    /// <summary>Its OpenID discovery document (default <c>{Issuer}/.well-known/openid-configuration</c>) ...</summary>
    public string? MetadataUrl { get; set; }

    /// <summary>... or its JWKS directly.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Plain HTTP for the metadata and JWKS (only for tests and loopback set-ups).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>SMART claim name → the provider's claim name, e.g. <c>fhirUser</c> → <c>fhir_user</c>, <c>role</c> → <c>roles</c>.</summary>
    public Dictionary<string, string> ClaimMap { get; set; } = [];
}
