using System.Net;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.SmartClient;

/// <summary>
/// What a browser SMART app needs from the server, checked without a browser (the Heavy Chromium test found both):
/// CORS on discovery, the token endpoint and the FHIR API, and a sign-in form whose CSP lets the redirect back to the app.
/// </summary>
public sealed class BrowserClientHeadersTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private const string AppOrigin = "http://127.0.0.1:9";

    private AuthServer Server => fixture.Server;

    [Theory]
    [InlineData("auth/token", "POST", "content-type")]
    [InlineData("fhir/Patient/p-123", "GET", "authorization")]
    public async Task Preflight_FromAnyOrigin_AllowedBeforeAuthWithoutCredentials(string path, string method, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", AppOrigin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", header);

        using HttpResponseMessage response = await Server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains(header, Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task CrossOriginRequests_DiscoveryAndRefusals_CarryAllowOriginAndExposeWwwAuthenticate()
    {
        using var discovery = new HttpRequestMessage(HttpMethod.Get, "fhir/.well-known/smart-configuration");
        discovery.Headers.Add("Origin", AppOrigin);
        using HttpResponseMessage found = await Server.Client.SendAsync(discovery);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("*", Header(found, "Access-Control-Allow-Origin"));

        // A 401 is readable by the app too (it must see WWW-Authenticate to know it needs a token).
        using var read = new HttpRequestMessage(HttpMethod.Get, "fhir/Patient/p-123");
        read.Headers.Add("Origin", AppOrigin);
        using HttpResponseMessage refused = await Server.Client.SendAsync(read);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("*", Header(refused, "Access-Control-Allow-Origin"));
        Assert.Contains("WWW-Authenticate", Header(refused, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignInForm_ContentSecurityPolicy_FormActionIsSelfAndTheRegisteredRedirectOriginOnly()
    {
        (_, string challenge) = CodeFlow.Pkce();
        using HttpResponseMessage page = await CodeFlow.GetAuthorizeAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "launch/patient patient/Patient.rs", challenge));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"form-action 'self' {AppOrigin}\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : string.Empty;
}
