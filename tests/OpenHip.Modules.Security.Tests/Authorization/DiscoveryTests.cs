using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

public sealed class DiscoveryTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private AuthServer Server => fixture.Server;

    [Fact]
    public async Task SmartConfiguration_WithoutToken_ListsEndpointsAndCapabilities()
    {
        using HttpResponseMessage response = await Server.Client.GetAsync("fhir/.well-known/smart-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(Server.Issuer, (string?)body["issuer"]);
        Assert.Equal(Server.Root + "/auth/authorize", (string?)body["authorization_endpoint"]);
        Assert.Equal(Server.TokenEndpoint, (string?)body["token_endpoint"]);
        Assert.Equal(Server.Root + "/auth/introspect", (string?)body["introspection_endpoint"]);
        Assert.Equal(Server.Root + "/auth/jwks", (string?)body["jwks_uri"]);
        Assert.Equal(["S256"], Strings(body, "code_challenge_methods_supported"));
        Assert.Equal(["code"], Strings(body, "response_types_supported"));
        Assert.Equal(["RS384", "ES384"], Strings(body, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Contains("private_key_jwt", Strings(body, "token_endpoint_auth_methods_supported"));
        Assert.Contains("client_credentials", Strings(body, "grant_types_supported"));
        foreach (string capability in new[] { "launch-standalone", "client-public", "client-confidential-asymmetric", "context-standalone-patient", "permission-v1", "permission-v2", "permission-patient", "permission-user", "sso-openid-connect" })
        {
            Assert.Contains(capability, Strings(body, "capabilities"));
        }
    }

    [Fact]
    public async Task OpenIdConfiguration_IsServedByOpenIddict()
    {
        using HttpResponseMessage response = await Server.Client.GetAsync(".well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonObject body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(Server.Issuer, (string?)body["issuer"]);
        Assert.Equal(["S256"], Strings(body, "code_challenge_methods_supported"));
    }

    [Fact]
    public async Task Jwks_PublishesOnlyPublicKeys()
    {
        using HttpResponseMessage response = await Server.Client.GetAsync("auth/jwks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"kid\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_WithoutToken_IsPublic_ButSearchNeedsToken()
    {
        Assert.Equal(HttpStatusCode.OK, await Server.GetFhirAsync("metadata", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Server.GetFhirAsync("Patient", null));
    }

    [Fact]
    public async Task Metadata_WithAuthOn_DeclaresSmartSecurityAndOAuthUris()
    {
        using var client = new HttpClient();
        JsonNode metadata = JsonNode.Parse(await client.GetStringAsync(Server.FhirBase + "/metadata"))!;
        JsonNode security = metadata["rest"]![0]!["security"]!;

        Assert.Equal("SMART-on-FHIR", (string?)security["service"]![0]!["coding"]![0]!["code"]);
        JsonArray uris = security["extension"]![0]!["extension"]!.AsArray();
        Assert.Equal(
            ["authorize", "introspect", "token"],
            uris.Select(u => (string)u!["url"]!).Order(StringComparer.Ordinal).ToArray());
        Assert.All(uris, u => Assert.StartsWith("http://127.0.0.1:", (string)u!["valueUri"]!, StringComparison.Ordinal));
    }

    private static string[] Strings(JsonObject body, string name) => [.. body[name]!.AsArray().Select(n => (string)n!)];
}
