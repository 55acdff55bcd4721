using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Modules.Security.Features.Policy;

namespace OpenHip.Modules.Security.Tests.Http;

/// <summary>Helpers shared by the HTTP tests: seeding through the API, polling a policy with a deadline.</summary>
public abstract class SecurityHttpTests(SecurityServerFixture server) : IClassFixture<SecurityServerFixture>
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    protected SecurityServerFixture Server { get; } = server;

    protected async Task<JsonObject> CreateAsync(string json, string claims)
    {
        using HttpResponseMessage response = await Server.SendAsync(HttpMethod.Post, JsonNode.Parse(json)!["resourceType"]!.GetValue<string>(), claims, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    protected async Task<string> CreatePatientAsync(string source = Callers.HospitalA) =>
        (await CreateAsync($$"""{"resourceType":"Patient","meta":{"source":"{{source}}"},"gender":"female"}""", Callers.Setup))["id"]!.GetValue<string>();

    /// <summary>The policy the server compiles for these claims now (what the engine enforces for such a token).</summary>
    protected AccessPolicy PolicyOf(string claims)
    {
        IEnumerable<Claim> parsed = QueryHelpers.ParseQuery(claims).SelectMany(c => c.Value.Select(v => new Claim(c.Key, v ?? string.Empty)));
        return Server.Services.GetRequiredService<AccessPolicyProvider>().Get(CallerClaims.From(new ClaimsPrincipal(new ClaimsIdentity(parsed, "Test"))));
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes (never asserts how long it took).</summary>
    protected static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        DateTime until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
