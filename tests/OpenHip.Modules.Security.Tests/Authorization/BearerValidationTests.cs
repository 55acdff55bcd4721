using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

/// <summary>Tokens signed with the server's real key but with one thing wrong, and forged ones: each gets 401.</summary>
public sealed class BearerValidationTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private AuthServer Server => fixture.Server;

    [Fact]
    public async Task Fhir_ValidServerToken_200()
    {
        Assert.Equal(HttpStatusCode.OK, await Server.GetFhirAsync("Patient", Mint(Claims())));
    }

    [Fact]
    public async Task Fhir_NoToken_401WithBearerChallenge()
    {
        using HttpResponseMessage response = await Server.Client.GetAsync(Server.FhirBase + "/Patient");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Fhir_Expired_401()
    {
        Dictionary<string, object> claims = Claims(expiresIn: TimeSpan.FromMinutes(-5));
        claims["iat"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", Mint(claims)));
    }

    [Fact]
    public async Task Fhir_NotYetValid_401()
    {
        Dictionary<string, object> claims = Claims(expiresIn: TimeSpan.FromMinutes(20));
        claims["nbf"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", Mint(claims)));
    }

    [Fact]
    public async Task Fhir_WrongIssuer_401()
    {
        Dictionary<string, object> claims = Claims();
        claims["iss"] = "http://127.0.0.1:1/";
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", Mint(claims)));
    }

    [Fact]
    public async Task Fhir_WrongAudience_401()
    {
        Dictionary<string, object> claims = Claims();
        claims["aud"] = "http://other.example/fhir";
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", Mint(claims)));
    }

    [Fact]
    public async Task Fhir_AlgNone_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", TestKey.AlgNone(Claims(), "at+jwt")));
    }

    [Fact]
    public async Task Fhir_Hs256SignedWithThePublicKey_401()
    {
        var rsa = (RsaSecurityKey)Server.Keys.SigningKeys[0];
        byte[] publicKey = (rsa.Rsa ?? RSA.Create(rsa.Parameters)).ExportSubjectPublicKeyInfo();
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", TestKey.Hs256(Claims(), publicKey, "at+jwt")));
        using HttpResponseMessage jwks = await Server.Client.GetAsync("auth/jwks");
        byte[] jwksBytes = await jwks.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", TestKey.Hs256(Claims(), jwksBytes, "at+jwt")));
    }

    [Fact]
    public async Task Fhir_TamperedPayload_401()
    {
        string[] parts = Mint(Claims()).Split('.');
        Dictionary<string, object> escalated = Claims();
        escalated["scope"] = "system/*.cruds";
        parts[1] = Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(escalated));
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", string.Join('.', parts)));
    }

    [Fact]
    public async Task Fhir_TamperedSignature_401()
    {
        string token = Mint(Claims());
        char last = token[^2] == 'A' ? 'B' : 'A';
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", token[..^2] + last + token[^1]));
    }

    [Fact]
    public async Task Fhir_SignedByForeignKey_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", TestKey.Rsa("RS256").Sign(Claims(), "at+jwt")));
    }

    [Fact]
    public async Task Fhir_IdTokenAsAccessToken_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", Mint(Claims(), type: "JWT")));
    }

    [Fact]
    public async Task Admin_OperatorToken_ListsClients_OtherRole403_NoToken401()
    {
        Dictionary<string, object> operatorClaims = Claims();
        operatorClaims["role"] = "operator";

        using HttpResponseMessage asOperator = await Send(HttpMethod.Get, "admin/clients", Mint(operatorClaims));
        using HttpResponseMessage asClinician = await Send(HttpMethod.Get, "admin/clients", Mint(Claims()));
        using HttpResponseMessage anonymous = await Send(HttpMethod.Get, "admin/clients", null);

        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Contains(TestClients.PublicApp, await asOperator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, asClinician.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Admin_OperatorAddsAndRemovesUser()
    {
        Dictionary<string, object> operatorClaims = Claims();
        operatorClaims["role"] = "operator";
        string token = Mint(operatorClaims);

        using HttpResponseMessage added = await Send(HttpMethod.Post, "admin/users", token,
            """{"userName":"nurse9","password":"long enough pw","kind":"practitioner","fhirUser":"Practitioner/n9","roles":["nurse"]}""");
        using HttpResponseMessage bad = await Send(HttpMethod.Post, "admin/users", token, """{"userName":"x","password":"short","kind":"practitioner"}""");
        using HttpResponseMessage removed = await Send(HttpMethod.Delete, "admin/users/nurse9", token);
        using HttpResponseMessage again = await Send(HttpMethod.Delete, "admin/users/nurse9", token);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.DoesNotContain("long enough pw", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await Server.Client.SendAsync(request);
    }

    private Dictionary<string, object> Claims(TimeSpan? expiresIn = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new Dictionary<string, object>
        {
            ["iss"] = Server.Issuer,
            ["aud"] = Server.FhirBase,
            ["sub"] = "user-1",
            ["client_id"] = TestClients.PublicApp,
            ["scope"] = "user/*.rs",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(),
        };
    }

    /// <summary>Signed with the server's own current signing key, as OpenIddict signs.</summary>
    private string Mint(Dictionary<string, object> claims, string type = "at+jwt")
    {
        SecurityKey key = Server.Keys.SigningKeys[0];
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = type,
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
        });
    }
}
