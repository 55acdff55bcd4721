using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

/// <summary>A second issuer made in the test: its JWKS served on 127.0.0.1, its tokens signed with a test key.</summary>
public sealed class ExternalIssuerFixture : AuthServerFixture
{
    public static readonly TestKey ProviderKey = TestKey.Rsa("RS256");

    private JwksHost? _provider;

    public string ProviderIssuer => _provider!.Root + "/realm";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:Auth:ExternalIssuers:0:Issuer"] = ProviderIssuer,
        ["Security:Auth:ExternalIssuers:0:MetadataUrl"] = _provider!.Root + "/realm/.well-known/openid-configuration",
        ["Security:Auth:ExternalIssuers:0:AllowHttp"] = "true",
        ["Security:Auth:ExternalIssuers:0:ClaimMap:fhirUser"] = "fhir_user",
        ["Security:Auth:ExternalIssuers:0:ClaimMap:role"] = "groups",
        ["Security:Auth:ExternalIssuers:0:ClaimMap:scope"] = "scp",
    };

    public override async Task InitializeAsync()
    {
        string? root = null;
        _provider = await JwksHost.StartAsync(new Dictionary<string, Func<string>>
        {
            ["/realm/.well-known/openid-configuration"] = () => $$"""{"issuer":"{{root}}/realm","jwks_uri":"{{root}}/realm/keys"}""",
            ["/realm/keys"] = () => ProviderKey.Jwks,
        });
        root = _provider.Root;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _provider!.DisposeAsync();
    }
}

public sealed class ExternalIssuerTests(ExternalIssuerFixture fixture) : IClassFixture<ExternalIssuerFixture>
{
    [Fact]
    public async Task ProviderToken_Accepted_AndClaimsMappedToSmartNames()
    {
        string token = ProviderToken(fixture.Server.FhirBase);

        Assert.Equal(HttpStatusCode.OK, await fixture.Server.GetFhirAsync("Patient", token));
        ClaimsPrincipal principal = (await fixture.Server.Services.GetRequiredService<BearerTokenValidator>().ValidateAsync(token, CancellationToken.None))!;
        Assert.Equal("Practitioner/ext-1", principal.FindFirst(SmartClaims.FhirUser)?.Value);
        Assert.Equal(["clinician", "auditor"], principal.FindAll(SmartClaims.Role).Select(c => c.Value).ToArray());
        Assert.Equal("user/*.rs user/Observation.rs", principal.FindFirst(SmartClaims.Scope)?.Value);
    }

    [Fact]
    public async Task ProviderToken_ForAnotherAudience_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.Server.GetFhirAsync("Patient", ProviderToken("http://elsewhere.example/fhir")));
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_ClaimingTheProviderIssuer_401()
    {
        Dictionary<string, object> claims = Claims(fixture.Server.FhirBase);
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.Server.GetFhirAsync("Patient", TestKey.Rsa("RS256").Sign(claims)));
    }

    private string ProviderToken(string audience) => ExternalIssuerFixture.ProviderKey.Sign(Claims(audience));

    private Dictionary<string, object> Claims(string audience) => new()
    {
        ["iss"] = fixture.ProviderIssuer,
        ["aud"] = audience,
        ["sub"] = "ext-user",
        ["fhir_user"] = "Practitioner/ext-1",
        ["groups"] = new[] { "clinician", "auditor" },
        ["scp"] = new[] { "user/*.rs", "user/Observation.rs" },
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
    };
}
