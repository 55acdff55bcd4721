using System.Net;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Authorization;

public sealed class AuthorizationCodeTests(AuthServerFixture fixture) : IClassFixture<AuthServerFixture>
{
    private AuthServer Server => fixture.Server;

    [Fact]
    public async Task ResidentPatientLaunch_WithS256_TokenBoundToOwnPatientWithFhirUserAndIdToken()
    {
        (string verifier, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "launch/patient openid fhirUser patient/Observation.rs offline_access", challenge), "resident1");

        (HttpStatusCode status, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("p-123", (string?)body!["patient"]);
        JsonObject access = CodeFlow.Payload((string)body["access_token"]!);
        Assert.Equal("p-123", (string?)access["patient"]);
        Assert.Equal("Patient/p-123", (string?)access["fhirUser"]);
        Assert.Equal(Server.FhirBase, (string?)access["aud"]);
        Assert.Equal(TestClients.PublicApp, (string?)access["client_id"]);
        Assert.Equal("urn:oid:1.2.156.1", (string?)access["openhip_source"]);
        Assert.Contains("patient/Observation.rs", ((string?)access["scope"])!.Split(' '));
        Assert.True((long)access["exp"]! - (long)access["iat"]! <= 300);
        Assert.Equal("Patient/p-123", (string?)CodeFlow.Payload((string)body["id_token"]!)["fhirUser"]);
        Assert.NotNull(body["refresh_token"]);
        Assert.Equal(HttpStatusCode.OK, await Server.GetFhirAsync("Observation", (string)body["access_token"]!));

        // The token's scopes are its policy: no Patient scope was granted.
        Assert.Equal(HttpStatusCode.Forbidden, await Server.GetFhirAsync("Patient", (string)body["access_token"]!));
    }

    [Fact]
    public async Task PractitionerPatientLaunch_ChosenPatientAndRolesAndPurposeInToken()
    {
        (string verifier, string challenge) = CodeFlow.Pkce();
        Dictionary<string, string> parameters = CodeFlow.AuthorizeParameters(TestClients.ConfidentialApp, "launch/patient user/*.rs", challenge);
        parameters["purpose_of_use"] = "TREAT";
        string code = await CodeFlow.SignInAsync(Server, parameters, "doctor1", patient: "p-777");

        (HttpStatusCode status, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, TestClients.ConfidentialApp, code, verifier, $"{TestClients.ConfidentialApp}:{TestClients.ConfidentialSecret}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("p-777", (string?)body!["patient"]);
        JsonObject access = CodeFlow.Payload((string)body["access_token"]!);
        Assert.Equal(["clinician", "physician"], access["role"]!.AsArray().Select(r => (string)r!).Order().ToArray());
        Assert.Equal("TREAT", (string?)access["purpose_of_use"]);
        Assert.Equal("Practitioner/dr-1", (string?)access["fhirUser"]);
    }

    [Fact]
    public async Task Authorize_PlainChallengeMethod_RefusedWithInvalidRequest()
    {
        Dictionary<string, string> parameters = CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", "a-plain-challenge-that-is-long-enough-to-count-1234567890", "plain");

        using HttpResponseMessage response = await CodeFlow.GetAuthorizeAsync(Server, parameters);

        // OpenIddict answers PKCE errors itself (no redirect to the client) with the OAuth error in the body.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_NoChallenge_RefusedWithInvalidRequest()
    {
        Dictionary<string, string> parameters = CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", string.Empty, string.Empty);

        using HttpResponseMessage response = await CodeFlow.GetAuthorizeAsync(Server, parameters);

        // OpenIddict answers PKCE errors itself (no redirect to the client) with the OAuth error in the body.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_RefusedWithoutRedirect()
    {
        (_, string challenge) = CodeFlow.Pkce();
        Dictionary<string, string> parameters = CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", challenge);
        parameters["redirect_uri"] = TestClients.RedirectUri + "/other";

        using HttpResponseMessage response = await CodeFlow.GetAuthorizeAsync(Server, parameters);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_FormAgainWith401AndNoCode()
    {
        (_, string challenge) = CodeFlow.Pkce();
        using HttpResponseMessage response = await CodeFlow.PostFormAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", challenge), "resident1", "wrong password!", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Token_MissingVerifier_RefusedWithInvalidRequest()
    {
        (_, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", challenge), "resident1");

        (HttpStatusCode status, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, verifier: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", (string?)body!["error"]);
    }

    [Fact]
    public async Task Token_WrongVerifier_RefusedWithInvalidGrant()
    {
        (_, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", challenge), "resident1");

        (HttpStatusCode status, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, CodeFlow.Pkce().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string?)body!["error"]);
    }

    [Fact]
    public async Task Token_CodeReplayed_SecondRedemptionRefused()
    {
        (string verifier, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "patient/*.rs", challenge), "resident1");
        (HttpStatusCode first, _, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, verifier);

        (HttpStatusCode second, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, verifier);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal("invalid_grant", (string?)body!["error"]);
    }

    [Fact]
    public async Task Refresh_Rotates_AndReusingTheOldTokenIsRefusedAndRevokesTheChain()
    {
        (string verifier, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(TestClients.PublicApp, "launch/patient patient/*.rs offline_access", challenge), "resident1");
        (_, JsonObject? issued, _) = await CodeFlow.RedeemAsync(Server, TestClients.PublicApp, code, verifier);
        string first = (string)issued!["refresh_token"]!;

        (HttpStatusCode rotatedStatus, JsonObject? rotated, _) = await RefreshAsync(first);
        (HttpStatusCode reuseStatus, JsonObject? reuse, _) = await RefreshAsync(first);
        (HttpStatusCode chainStatus, _, _) = await RefreshAsync((string)rotated!["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, rotatedStatus);
        Assert.NotEqual(first, (string?)rotated["refresh_token"]);
        Assert.Equal("p-123", (string?)rotated["patient"]);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", (string?)reuse!["error"]);
        Assert.Equal(HttpStatusCode.BadRequest, chainStatus);
    }

    private Task<(HttpStatusCode, JsonObject?, HttpResponseMessage)> RefreshAsync(string refreshToken) => Server.PostTokenAsync(
    [
        new("grant_type", "refresh_token"),
        new("refresh_token", refreshToken),
        new("client_id", TestClients.PublicApp),
    ]);
}
