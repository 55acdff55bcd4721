using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Keys;

namespace OpenHip.Modules.Security.Features.Demo;

/// <summary>
/// <c>serve --demo</c> with auth on: a development client and an operator token printed at start, so the demo can be
/// used with curl at once. The token is signed with the server's key like any other, but lives for the demo session
/// (Security:Auth:DemoTokenLifetime, 8 hours by default) instead of 5 minutes.
/// </summary>
public sealed class DemoAccess(ClientAdministration clients, KeyRing keys, AuthOptions options, TimeProvider time)
{
    public const string ClientId = "openhip-demo";

    public async Task<(string ClientId, string Secret, string Token)> PrepareAsync(CancellationToken ct)
    {
        // A fresh secret each start: it is printed, so it should not outlive the session that printed it.
        // Hex: no characters that Basic credentials would have to URL-encode.
        string secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        await clients.RemoveAsync(ClientId, ct).ConfigureAwait(false);
        await clients.AddAsync(new ClientRegistration
        {
            ClientId = ClientId,
            DisplayName = "OpenHIP demo (development only)",
            Secret = secret,
            GrantTypes = ["client_credentials"],
            Scopes = ["system/*"],
            Source = "http://openhip.org/demo",
        }, ct).ConfigureAwait(false);
        return (ClientId, secret, Mint());
    }

    /// <summary>An access token for the demo operator: system-wide scopes, the operator role.</summary>
    internal string Mint()
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        SecurityKey key = keys.SigningKeys[0];
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.ResolvedIssuer,
            Audience = options.FhirBaseUrl,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.DemoTokenLifetime,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(SmartClaims.Subject, "demo-operator"),
                new Claim(SmartClaims.ClientId, ClientId),
                new Claim(SmartClaims.Scope, "user/*.cruds system/*.cruds"),
                new Claim(SmartClaims.Role, "operator"),
                new Claim(SmartClaims.FhirUser, "Practitioner/demo-operator"),
                new Claim(SmartClaims.Source, "http://openhip.org/demo"),
                new Claim("jti", Guid.NewGuid().ToString("n")),
            ]),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
