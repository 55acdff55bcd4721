using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Infrastructure;
using OpenHip.Testing;

namespace OpenHip.Modules.Security.Tests.Authorization;

/// <summary>Two nodes over one PostgreSQL database: the auth tables, keys and jti store are shared.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlTwoNodeAuthTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    private const string PublicBase = "http://openhip.test";
    private const string TokenEndpoint = PublicBase + "/auth/token";

    [SkippableFact]
    public async Task TokenIssuedByNodeA_ValidatesOnNodeB_AndJtiReplayOnBRefused()
    {
        string connection = await database.GetConnectionStringAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:PostgreSql:ConnectionString"] = connection,

            // Behind one load balancer, as nodes are deployed: one public base URL, so one issuer and one audience.
            ["Api:BaseUrl"] = PublicBase + "/fhir",
        };

        await using AuthServer a = await AuthServer.StartAsync(settings);
        await TestClients.RegisterAsync(a);
        await using AuthServer b = await AuthServer.StartAsync(settings);

        string jti = Guid.NewGuid().ToString("n");
        (HttpStatusCode issued, JsonObject? body, _) = await a.PostTokenAsync(Form(TestClients.RsKey.Assertion(TestClients.BackendRs, TokenEndpoint, jti: jti)));
        Assert.Equal(HttpStatusCode.OK, issued);
        string token = (string)body!["access_token"]!;

        Assert.Equal(HttpStatusCode.OK, await b.GetFhirAsync("Patient", token));
        Assert.Equal(HttpStatusCode.Unauthorized, await b.GetFhirAsync("Patient", null));
        Assert.Equal(a.Keys.SigningKeys[0].KeyId, b.Keys.SigningKeys[0].KeyId);

        // The same assertion presented to B is a replay: the jti store is the shared database.
        (HttpStatusCode replay, JsonObject? replayBody, _) = await b.PostTokenAsync(Form(TestClients.RsKey.Assertion(TestClients.BackendRs, TokenEndpoint, jti: jti)));
        Assert.Equal(HttpStatusCode.Unauthorized, replay);
        Assert.Equal("invalid_client", (string?)replayBody!["error"]);

        // A client registered through A is known to B, and A validates what B issues.
        (HttpStatusCode fromB, JsonObject? bBody, _) = await b.PostTokenAsync(Form(TestClients.RsKey.Assertion(TestClients.BackendRs, TokenEndpoint)));
        Assert.Equal(HttpStatusCode.OK, fromB);
        Assert.Equal(HttpStatusCode.OK, await a.GetFhirAsync("Patient", (string)bBody!["access_token"]!));
    }

    private static List<KeyValuePair<string, string>> Form(string assertion) =>
    [
        new("grant_type", "client_credentials"),
        new("scope", "system/*.rs"),
        new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        new("client_assertion", assertion),
    ];
}
