using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.SmartClient;

/// <summary>
/// One auth-on server for the SMART client tests, with two Patients written through a backend-services token
/// (the resident's own and another one) and a resident user bound to the first.
/// </summary>
public sealed class SmartClientFixture : AuthServerFixture
{
    public const string PatientId = "smart-pat-1";
    public const string OtherPatientId = "smart-pat-2";
    public const string PatientName = "王芳 Wang Fang";
    public const string Resident = "smart-resident";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.AddUserAsync(new UserRegistration { UserName = Resident, Password = TestClients.Password, Kind = "resident", FhirUser = "Patient/" + PatientId, Roles = ["resident"] });

        (HttpStatusCode status, JsonObject? body, _) = await Server.PostTokenAsync(
        [
            new("grant_type", "client_credentials"),
            new("scope", "system/Patient.cruds"),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new("client_assertion", TestClients.RsKey.Assertion(TestClients.BackendRs, Server.TokenEndpoint)),
        ]);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        string token = (string)body!["access_token"]!;
        await PutPatientAsync(token, PatientId, """{"text":"王芳 Wang Fang","family":"王","given":["芳"]}""");
        await PutPatientAsync(token, OtherPatientId, """{"text":"李雷 Li Lei","family":"李","given":["雷"]}""");
    }

    /// <summary>Registers a public client whose only redirect URI is <paramref name="redirectUri"/> (exact match).</summary>
    public Task AddPublicClientAsync(string clientId, string redirectUri) => Server.AddClientAsync(new ClientRegistration
    {
        ClientId = clientId,
        Public = true,
        RedirectUris = [redirectUri],
        GrantTypes = ["authorization_code", "refresh_token"],
        Scopes = ["patient/*"],
    });

    private async Task PutPatientAsync(string token, string id, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Server.FhirBase}/Patient/{id}")
        {
            Content = new StringContent($$"""{"resourceType":"Patient","id":"{{id}}","name":[{{name}}]}""", Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await Server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT Patient/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>
/// A real SMART client against a running openhip: the npm <c>fhirclient</c> library in Node (its server-side API) and
/// in headless Chromium (its browser bundle, the redirect flow through the sign-in page), from <c>tests/smart-client</c>.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class SmartClientTests(SmartClientFixture fixture) : IClassFixture<SmartClientFixture>
{
    private static readonly TimeSpan NodeDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BrowserDeadline = TimeSpan.FromSeconds(120);

    private AuthServer Server => fixture.Server;

    [SkippableFact]
    public async Task NodeFhirClient_StandaloneLaunchWithPkce_ReadsResidentsPatientByRequestAndContext()
    {
        NodeScript.Result run = await RunNodeLaunchAsync("smart-node", SmartClientFixture.PatientId);

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonObject json = run.Json;
        Assert.Equal(SmartClientFixture.PatientId, (string?)json["patientContext"]);
        Assert.Equal("Patient/" + SmartClientFixture.PatientId, (string?)json["fhirUser"]);
        Assert.Equal("Bearer", (string?)json["tokenType"]);
        Assert.Contains("patient/Patient.rs", (string?)json["scope"], StringComparison.Ordinal);
        Assert.Equal(SmartClientFixture.PatientId, (string?)json["request"]!["id"]);
        Assert.Equal("Patient", (string?)json["request"]!["resourceType"]);
        Assert.Equal(SmartClientFixture.PatientName, (string?)json["request"]!["name"]![0]!["text"]);
        Assert.Equal(SmartClientFixture.PatientId, (string?)json["patientRead"]!["id"]);
        Assert.Equal(SmartClientFixture.PatientName, (string?)json["patientRead"]!["name"]![0]!["text"]);
    }

    [SkippableFact]
    public async Task NodeFhirClient_ResidentsTokenOnAnotherPatient_RequestRefused()
    {
        // The same flow, but the app asks for a Patient that is not the token's: the server must refuse it.
        NodeScript.Result run = await RunNodeLaunchAsync("smart-node-other", SmartClientFixture.OtherPatientId);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("FAIL: ", run.Stderr, StringComparison.Ordinal);
        Assert.Matches("40[34]", run.Stderr);
        Assert.DoesNotContain("李雷", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task BrowserFhirClient_RedirectFlowThroughSignInPage_ShowsResidentsPatient()
    {
        string directory = NodeScript.Require(browser: true);
        string redirect = $"http://127.0.0.1:{AuthServer.FreePort()}/callback.html";
        await fixture.AddPublicClientAsync("smart-browser", redirect);

        Dictionary<string, string> arguments = Arguments("smart-browser", redirect, SmartClientFixture.PatientId);
        arguments["name"] = SmartClientFixture.PatientName;
        arguments["chromium"] = NodeScript.Chromium;
        NodeScript.Result run = await NodeScript.RunAsync(directory, "browser.mjs", arguments, BrowserDeadline);

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonObject json = run.Json;
        Assert.Equal(SmartClientFixture.PatientId, (string?)json["id"]);
        Assert.Equal(SmartClientFixture.PatientName, (string?)json["name"]);
        Assert.Equal("Patient/" + SmartClientFixture.PatientId, (string?)json["fhirUser"]);
        Assert.StartsWith(redirect, (string?)json["url"], StringComparison.Ordinal);
    }

    /// <summary>node.mjs with a new public client whose redirect URI is a free loopback port, asking for <paramref name="patient"/>.</summary>
    private async Task<NodeScript.Result> RunNodeLaunchAsync(string clientId, string patient)
    {
        string directory = NodeScript.Require(browser: false);
        string redirect = $"http://127.0.0.1:{AuthServer.FreePort()}/callback";
        await fixture.AddPublicClientAsync(clientId, redirect);
        return await NodeScript.RunAsync(directory, "node.mjs", Arguments(clientId, redirect, patient), NodeDeadline);
    }

    private Dictionary<string, string> Arguments(string clientId, string redirect, string patient) => new()
    {
        ["fhir"] = Server.FhirBase,
        ["client"] = clientId,
        ["redirect"] = redirect,
        ["user"] = SmartClientFixture.Resident,
        ["password"] = TestClients.Password,
        ["patient"] = patient,
    };
}
