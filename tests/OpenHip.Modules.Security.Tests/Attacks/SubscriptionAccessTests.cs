using System.Net;
using System.Text.Json.Nodes;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>A Subscription would push every matching resource to its endpoint: only callers who may read all of them can write one.</summary>
public sealed class SubscriptionAccessTests(AttackFixture fixture) : IClassFixture<AttackFixture>
{
    private const string Subscription =
        """{"resourceType":"Subscription","status":"requested","reason":"x","criteria":"Observation?status=final","channel":{"type":"rest-hook","endpoint":"http://127.0.0.1:9/hook","payload":"application/fhir+json"}}""";

    [Fact]
    public async Task ResidentWithWriteScopes_CannotSubscribeToEveryonesObservations()
    {
        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.PatientWriter, HttpMethod.Post, "Subscription", Subscription);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("OperationOutcome", (string?)JsonNode.Parse(body)!["resourceType"]);
    }

    [Fact]
    public async Task SystemClient_PassesTheAccessCheck_ButNoEndpointIsAllowedByDefault()
    {
        (HttpStatusCode status, string body) = await fixture.SendAsync(Caller.HospitalA, HttpMethod.Post, "Subscription", Subscription);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("not an allowed notification endpoint", body, StringComparison.Ordinal);
    }
}
