using System.Net;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

public sealed class RateLimitFixture : AuthServerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:Auth:RateLimit:PerClient"] = "3",
        ["Security:Auth:RateLimit:PerIp"] = "100",
        ["Security:Auth:RateLimit:Window"] = "00:10:00",
    };
}

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task Token_MoreRequestsThanThePerClientLimit_429WithRetryAfter()
    {
        List<HttpStatusCode> statuses = [];
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 4; i++)
        {
            (HttpStatusCode status, _, HttpResponseMessage response) = await fixture.Server.PostTokenAsync(
                [new("grant_type", "client_credentials"), new("scope", "system/*.rs")],
                $"{TestClients.ConfidentialApp}:{TestClients.ConfidentialSecret}");
            statuses.Add(status);
            limited = response;
        }

        // The confidential app may not use client_credentials: 400 three times, then the limiter answers.
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(limited!.Headers.RetryAfter);
        Assert.True(limited.Headers.RetryAfter!.Delta > TimeSpan.Zero);

        // Another client from the same address is still served (per-client window, the per-IP one is larger).
        (HttpStatusCode other, _, _) = await fixture.Server.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("scope", "system/*.rs"), new("client_id", TestClients.PublicApp)]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other);
    }
}
