using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenHip.Modules.Security.Features.Keys;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// Validates bearer tokens of FHIR and admin requests: signature (the server's keys, or a trusted provider's JWKS),
/// issuer, audience = the FHIR base URL, lifetime with a small skew, and an algorithm allow-list (so <c>none</c> and
/// HS256 over a public key fail). A validated token is kept, keyed by its exact string, until it expires: a repeated
/// token costs one dictionary lookup instead of a signature check (the 20 µs budget, see bench/).
/// </summary>
public sealed class BearerTokenValidator
{
    /// <summary>Signature algorithms accepted on access tokens; everything else (none, HS*) is refused.</summary>
    public static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    private readonly AuthOptions _options;
    private readonly KeyRing _keys;
    private readonly ExternalIssuers _external;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, Validated> _cache = new(StringComparer.Ordinal);

    public BearerTokenValidator(AuthOptions options, KeyRing keys, ExternalIssuers external, TimeProvider time)
    {
        _options = options;
        _keys = keys;
        _external = external;
        _time = time;
    }

    /// <summary>The caller, or null when the token is not valid here.</summary>
    public async ValueTask<ClaimsPrincipal?> ValidateAsync(string token, CancellationToken ct)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_cache.TryGetValue(token, out Validated? hit))
        {
            if (hit.ExpiresAt > now)
            {
                return hit.Principal;
            }

            _cache.TryRemove(token, out _);
        }

        (ClaimsPrincipal Principal, DateTimeOffset ExpiresAt)? validated = await ValidateUncachedAsync(token, ct).ConfigureAwait(false);
        if (validated is not { } result)
        {
            return null;
        }

        if (_options.ValidationCacheSize > 0)
        {
            if (_cache.Count >= _options.ValidationCacheSize)
            {
                // Bounded: rather than track recency on the hot path, drop everything once full; tokens live minutes.
                _cache.Clear();
            }

            _cache[token] = new Validated(result.Principal, result.ExpiresAt);
        }

        return result.Principal;
    }

    private async Task<(ClaimsPrincipal, DateTimeOffset)?> ValidateUncachedAsync(string token, CancellationToken ct)
    {
        JsonWebToken unverified;
        try
        {
            unverified = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (string.Equals(unverified.Issuer, _options.ResolvedIssuer, StringComparison.Ordinal))
        {
            TokenValidationResult result = await _handler.ValidateTokenAsync(token, InternalParameters()).ConfigureAwait(false);
            if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && await _keys.TryRefreshForUnknownKeyAsync(ct).ConfigureAwait(false))
            {
                // Rotated on another node: the refreshed ring may know the key now.
                result = await _handler.ValidateTokenAsync(token, InternalParameters()).ConfigureAwait(false);
            }

            return result.IsValid ? (new ClaimsPrincipal(Identity(result.ClaimsIdentity.Claims)), unverified.ValidTo) : null;
        }

        if (_external.Find(unverified.Issuer) is { } issuer)
        {
            TokenValidationParameters parameters = await issuer.ParametersAsync(_options, ct).ConfigureAwait(false);
            TokenValidationResult result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
            return result.IsValid ? (new ClaimsPrincipal(Identity(issuer.Map(result.ClaimsIdentity.Claims))), unverified.ValidTo) : null;
        }

        return null;
    }

    private TokenValidationParameters InternalParameters() => new()
    {
        ValidIssuer = _options.ResolvedIssuer,
        ValidAudience = _options.FhirBaseUrl,
        IssuerSigningKeys = _keys.SigningKeys,
        ValidAlgorithms = Algorithms,
        // OpenIddict access tokens are typed: an id_token or a client assertion is never accepted as an access token.
        ValidTypes = ["at+jwt"],
        ClockSkew = _options.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
    };

    internal static ClaimsIdentity Identity(IEnumerable<Claim> claims) =>
        new(claims.Where(c => !c.Type.StartsWith("oi_", StringComparison.Ordinal)), "Bearer", SmartClaims.Subject, SmartClaims.Role);

    internal int CacheCount => _cache.Count;

    private sealed record Validated(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}
