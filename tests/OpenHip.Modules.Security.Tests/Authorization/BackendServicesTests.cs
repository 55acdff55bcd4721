using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

/// <summary>An auth server whose JWKS URL allow-list names a local JWKS host's /allowed/ path only.</summary>
public sealed class BackendServicesFixture : AuthServerFixture
{
    public static readonly TestKey UrlKey = TestKey.Rsa("RS384");

    private JwksHost? _jwks;

    public string JwksRoot => _jwks!.Root;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:Auth:JwksUrlAllowList:0"] = JwksRoot + "/allowed/",
    };

    public override async Task InitializeAsync()
    {
        _jwks = await JwksHost.StartAsync(new Dictionary<string, Func<string>>
        {
            ["/allowed/jwks.json"] = () => UrlKey.Jwks,
            ["/elsewhere/jwks.json"] = () => UrlKey.Jwks,
        });
        await base.InitializeAsync();
        await Server.AddClientAsync(new ClientRegistration { ClientId = "by-url", JwksUrl = JwksRoot + "/allowed/jwks.json", GrantTypes = ["client_credentials"], Scopes = ["system/*"] });
        // Registration itself refuses to fetch an off-list URL, so the keys come inline: the client stands for one whose
        // URL was taken off the allow-list after it was registered.
        await Server.AddClientAsync(new ClientRegistration { ClientId = "off-list", Jwks = UrlKey.Jwks, JwksUrl = JwksRoot + "/elsewhere/jwks.json", GrantTypes = ["client_credentials"], Scopes = ["system/*"] });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _jwks!.DisposeAsync();
    }
}

public sealed class BackendServicesTests(BackendServicesFixture fixture) : IClassFixture<BackendServicesFixture>
{
    private AuthServer Server => fixture.Server;

    [Theory]
    [InlineData(TestClients.BackendRs)]
    [InlineData(TestClients.BackendEs)]
    public async Task ClientCredentials_ValidAssertion_SystemTokenWithSource(string clientId)
    {
        TestKey key = clientId == TestClients.BackendRs ? TestClients.RsKey : TestClients.EsKey;

        (HttpStatusCode status, JsonObject? body, _) = await RequestAsync(key.Assertion(clientId, Server.TokenEndpoint), "system/Patient.rs system/Observation.rs user/*.rs");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        JsonObject access = CodeFlow.Payload((string)body!["access_token"]!);
        Assert.Equal("system", (string?)access["openhip_client_kind"]);
        Assert.Equal(clientId, (string?)access["sub"]);
        Assert.Equal(clientId, (string?)access["client_id"]);
        Assert.Equal("system/Patient.rs system/Observation.rs", (string?)access["scope"]);
        Assert.NotNull(access["openhip_source"]);
        Assert.Null(body["refresh_token"]);
        Assert.Equal(HttpStatusCode.OK, await Server.GetFhirAsync("Patient", (string)body["access_token"]!));
    }

    [Fact]
    public async Task ClientCredentials_RegisteredPurposeOfUse_InToken_UnregisteredRefused()
    {
        (HttpStatusCode ok, JsonObject? body, _) = await RequestAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint), "system/*.rs", purpose: "PUBHLTH");
        (HttpStatusCode refused, _, _) = await RequestAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint), "system/*.rs", purpose: "BTG");

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("PUBHLTH", (string?)CodeFlow.Payload((string)body!["access_token"]!)["purpose_of_use"]);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
    }

    [Fact]
    public async Task Assertion_ExpiresMoreThanFiveMinutesAhead_Refused()
    {
        await AssertInvalidClientAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task Assertion_Expired_Refused()
    {
        await AssertInvalidClientAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint, TimeSpan.FromMinutes(-5)));
    }

    [Fact]
    public async Task Assertion_WrongAudience_Refused()
    {
        await AssertInvalidClientAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.Issuer));
    }

    [Fact]
    public async Task Assertion_JtiReplayed_SecondUseRefused()
    {
        string jti = Guid.NewGuid().ToString("n");
        (HttpStatusCode first, _, _) = await RequestAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint, jti: jti), "system/*.rs");

        Assert.Equal(HttpStatusCode.OK, first);
        await AssertInvalidClientAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint, jti: jti));
    }

    [Fact]
    public async Task Assertion_SignedWithUnregisteredKey_Refused()
    {
        await AssertInvalidClientAsync(TestKey.Rsa("RS384").Assertion(TestClients.BackendRs, Server.TokenEndpoint));
    }

    [Fact]
    public async Task Assertion_Rs256_Refused()
    {
        TestKey rs256 = TestKey.Rsa("RS256");
        await AssertInvalidClientAsync(rs256.Assertion(TestClients.BackendRs, Server.TokenEndpoint));
    }

    [Fact]
    public async Task Assertion_Hs256_Refused()
    {
        await AssertInvalidClientAsync(TestKey.Hs256(Claims(TestClients.BackendRs), System.Text.Encoding.UTF8.GetBytes(TestClients.RsKey.Jwks)));
    }

    [Fact]
    public async Task Assertion_AlgNone_Refused()
    {
        await AssertInvalidClientAsync(TestKey.AlgNone(Claims(TestClients.BackendRs)));
    }

    [Fact]
    public async Task Assertion_IssDiffersFromSub_Refused()
    {
        Dictionary<string, object> claims = Claims(TestClients.BackendRs);
        claims["sub"] = TestClients.BackendEs;
        await AssertInvalidClientAsync(TestClients.RsKey.Sign(claims));
    }

    [Fact]
    public async Task JwksUrl_OnAllowList_KeysFetchedAndTokenIssued()
    {
        (HttpStatusCode status, _, _) = await RequestAsync(BackendServicesFixture.UrlKey.Assertion("by-url", Server.TokenEndpoint), "system/*.rs");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task JwksUrl_OffAllowList_Refused()
    {
        await AssertInvalidClientAsync(BackendServicesFixture.UrlKey.Assertion("off-list", Server.TokenEndpoint));
    }

    [Fact]
    public async Task JwksUrl_OffAllowList_RegistrationRefusedWithoutARequest()
    {
        // A listener that would see any connection the server opened to the off-list URL.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using AsyncServiceScope scope = Server.Services.CreateAsyncScope();
            string? problem = await scope.ServiceProvider.GetRequiredService<ClientAdministration>().AddAsync(
                new ClientRegistration { ClientId = "unlisted", JwksUrl = $"http://127.0.0.1:{port}/jwks.json", GrantTypes = ["client_credentials"], Scopes = ["system/*"] },
                CancellationToken.None);

            Assert.NotNull(problem);
            Assert.Contains("allow-list", problem, StringComparison.Ordinal);
            Assert.False(listener.Pending(), "the server connected to a JWKS URL that is not on the allow-list");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Introspection_OwnToken_Active_UnknownToken_Inactive()
    {
        (_, JsonObject? issued, _) = await RequestAsync(TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint), "system/*.rs");

        JsonObject active = await IntrospectAsync((string)issued!["access_token"]!);
        JsonObject inactive = await IntrospectAsync("not-a-token");

        Assert.True((bool)active["active"]!);
        Assert.Equal(TestClients.BackendRs, (string?)active["client_id"]);
        Assert.False((bool)inactive["active"]!);
    }

    private async Task<JsonObject> IntrospectAsync(string token)
    {
        using HttpResponseMessage response = await Server.Client.PostAsync("auth/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = TestClients.RsKey.Assertion(TestClients.BackendRs, Server.Root + "/auth/introspect"),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private Dictionary<string, object> Claims(string clientId) => new()
    {
        ["iss"] = clientId,
        ["sub"] = clientId,
        ["aud"] = Server.TokenEndpoint,
        ["jti"] = Guid.NewGuid().ToString("n"),
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds(),
    };

    private async Task AssertInvalidClientAsync(string assertion)
    {
        (HttpStatusCode status, JsonObject? body, _) = await RequestAsync(assertion, "system/*.rs");

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"status {(int)status}: {body}");
        Assert.Contains((string?)body!["error"], new[] { "invalid_client", "invalid_grant", "invalid_request" });
        Assert.Null(body["access_token"]);
    }

    private Task<(HttpStatusCode, JsonObject?, HttpResponseMessage)> RequestAsync(string assertion, string scope, string? purpose = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("scope", scope),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new("client_assertion", assertion),
        };
        if (purpose is not null)
        {
            form.Add(new("purpose_of_use", purpose));
        }

        return Server.PostTokenAsync(form);
    }
}
