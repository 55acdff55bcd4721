using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>Real keys for client assertions and foreign tokens, with their public JWKS.</summary>
public sealed class TestKey
{
    private TestKey(SecurityKey key, string algorithm, string jwks)
    {
        Key = key;
        Algorithm = algorithm;
        Jwks = jwks;
    }

    public SecurityKey Key { get; }

    public string Algorithm { get; }

    /// <summary>{"keys":[public JWK]}.</summary>
    public string Jwks { get; }

    public static TestKey Rsa(string algorithm = "RS384")
    {
        RSA rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "rsa-" + Guid.NewGuid().ToString("n")[..8] };
        JsonWebKey jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
        return new TestKey(key, algorithm, Set(new { kty = "RSA", kid = jwk.Kid, n = jwk.N, e = jwk.E, alg = algorithm, use = "sig" }));
    }

    public static TestKey Ec(string algorithm = "ES384")
    {
        ECDsa ec = ECDsa.Create(algorithm == "ES256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        var key = new ECDsaSecurityKey(ec) { KeyId = "ec-" + Guid.NewGuid().ToString("n")[..8] };
        ECParameters p = ec.ExportParameters(false);
        return new TestKey(key, algorithm, Set(new
        {
            kty = "EC",
            kid = key.KeyId,
            crv = algorithm == "ES256" ? "P-256" : "P-384",
            x = Base64UrlEncoder.Encode(p.Q.X),
            y = Base64UrlEncoder.Encode(p.Q.Y),
            alg = algorithm,
            use = "sig",
        }));
    }

    /// <summary>A signed JWT with these claims (exp, iat, nbf given in seconds from now).</summary>
    public string Sign(Dictionary<string, object> claims, string? type = null) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Claims = claims,
        TokenType = type,
        SigningCredentials = new SigningCredentials(Key, Algorithm),
    });

    /// <summary>A client assertion as SMART Backend Services describes it.</summary>
    public string Assertion(string clientId, string audience, TimeSpan? expiresIn = null, string? jti = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return Sign(new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = audience,
            ["jti"] = jti ?? Guid.NewGuid().ToString("n"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(4))).ToUnixTimeSeconds(),
        });
    }

    /// <summary>An unsigned JWT (<c>alg: none</c>) with the given claims.</summary>
    public static string AlgNone(Dictionary<string, object> claims, string type = "JWT") =>
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "none", typ = type })) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims)) + ".";

    /// <summary>An HS256 JWT whose HMAC key is <paramref name="secret"/> (e.g. the server's public key bytes).</summary>
    public static string Hs256(Dictionary<string, object> claims, byte[] secret, string type = "JWT")
    {
        string signingInput = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "HS256", typ = type })) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims));
        return signingInput + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string Set(object jwk) => JsonSerializer.Serialize(new { keys = new[] { jwk } });
}
