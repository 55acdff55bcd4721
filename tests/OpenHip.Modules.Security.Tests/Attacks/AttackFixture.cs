using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;
using OpenHip.Modules.Security.Tests.Infrastructure;

namespace OpenHip.Modules.Security.Tests.Attacks;

/// <summary>
/// One auth-on server seeded by two institutions (each through its own backend client, so meta.source differs):
/// resident A (Amundsen) at hospital A and resident B (Zyxwerth) at hospital B, eleven record kinds each, plus
/// directory Practitioners and Organizations. Callers hold real tokens from the real authorization server.
/// </summary>
public sealed class AttackFixture : AuthServerFixture
{
    public const string HospitalA = "hospital-a";
    public const string HospitalB = "hospital-b";
    public const string Registry = "registry-patient-only";
    public const string LabFeed = "lab-feed-observation-only";
    public const string Resident = "resident-a";
    public const string SourceA = "urn:oid:2.16.840.1.99.1";
    public const string SourceB = "urn:oid:2.16.840.1.99.2";

    public static readonly TestKey HospitalAKey = TestKey.Rsa("RS384");
    public static readonly TestKey HospitalBKey = TestKey.Ec("ES384");
    public static readonly TestKey RegistryKey = TestKey.Rsa("RS384");
    public static readonly TestKey LabFeedKey = TestKey.Ec("ES384");

    private readonly Dictionary<string, string> _tokens = [];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The whole suite runs on one set of tokens.
        ["Security:Auth:AccessTokenLifetime"] = "01:00:00",
    };

    public string Token(string caller) => _tokens[caller];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.AddClientAsync(new ClientRegistration { ClientId = HospitalA, Jwks = HospitalAKey.Jwks, GrantTypes = ["client_credentials"], Scopes = ["system/*"], Source = SourceA });
        await Server.AddClientAsync(new ClientRegistration { ClientId = HospitalB, Jwks = HospitalBKey.Jwks, GrantTypes = ["client_credentials"], Scopes = ["system/*"], Source = SourceB });
        await Server.AddClientAsync(new ClientRegistration { ClientId = Registry, Jwks = RegistryKey.Jwks, GrantTypes = ["client_credentials"], Scopes = ["system/Patient.rs"], Source = "urn:oid:2.16.840.1.99.3" });
        await Server.AddClientAsync(new ClientRegistration { ClientId = LabFeed, Jwks = LabFeedKey.Jwks, GrantTypes = ["client_credentials"], Scopes = ["system/Observation.rs"], Source = "urn:oid:2.16.840.1.99.4" });
        await Server.AddUserAsync(new UserRegistration
        {
            UserName = Resident,
            Password = TestClients.Password,
            Kind = "resident",
            FhirUser = "Patient/" + Attack.A,
            Roles = ["resident"],
        });

        _tokens[Caller.HospitalA] = await SystemTokenAsync(HospitalA, HospitalAKey, "system/*.cruds");
        _tokens[Caller.HospitalB] = await SystemTokenAsync(HospitalB, HospitalBKey, "system/*.cruds");
        _tokens[Caller.Registry] = await SystemTokenAsync(Registry, RegistryKey, "system/Patient.rs");
        _tokens[Caller.LabFeed] = await SystemTokenAsync(LabFeed, LabFeedKey, "system/Observation.rs");
        _tokens[Caller.Patient] = await UserTokenAsync(TestClients.PublicApp, Resident, "launch/patient patient/*.rs", basic: null);
        _tokens[Caller.PatientWriter] = await UserTokenAsync(TestClients.PublicApp, Resident, "launch/patient patient/*.cruds", basic: null);
        _tokens[Caller.LabOnly] = await UserTokenAsync(TestClients.PublicApp, Resident, "launch/patient patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", basic: null);
        _tokens[Caller.Practitioner] = await UserTokenAsync(TestClients.ConfidentialApp, "doctor1", "user/*.rs", $"{TestClients.ConfidentialApp}:{TestClients.ConfidentialSecret}");

        await SeedAsync(Caller.HospitalA, Attack.DirectoryBundle());
        await SeedAsync(Caller.HospitalB, Attack.ResidentBundle("b"));
        await SeedAsync(Caller.HospitalA, Attack.ResidentBundle("a"));
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(string caller, HttpMethod method, string path, string? body = null, string contentType = "application/fhir+json", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method, Server.FhirBase + (path.Length == 0 ? string.Empty : "/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(caller));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        foreach (KeyValuePair<string, string> header in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using HttpResponseMessage response = await Server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What hospital B (which wrote B's records) sees of one of them: status and versionId.</summary>
    public async Task<(HttpStatusCode Status, string? VersionId, string Body)> OwnerReadAsync(string reference)
    {
        (HttpStatusCode status, string body) = await SendAsync(Caller.HospitalB, HttpMethod.Get, reference);
        string? version = status == HttpStatusCode.OK ? (string?)JsonNode.Parse(body)!["meta"]?["versionId"] : null;
        return (status, version, body);
    }

    private async Task SeedAsync(string caller, string bundle)
    {
        (HttpStatusCode status, string body) = await SendAsync(caller, HttpMethod.Post, string.Empty, bundle);
        Assert.True(status == HttpStatusCode.OK, $"seeding failed {(int)status}: {body}");
    }

    private async Task<string> SystemTokenAsync(string clientId, TestKey key, string scope)
    {
        (HttpStatusCode status, JsonObject? body, _) = await Server.PostTokenAsync(
        [
            new("grant_type", "client_credentials"),
            new("scope", scope),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new("client_assertion", key.Assertion(clientId, Server.TokenEndpoint)),
        ]);
        Assert.True(status == HttpStatusCode.OK, $"{clientId}: {(int)status} {body}");
        Assert.Equal(scope, (string?)CodeFlow.Payload((string)body!["access_token"]!)["scope"]);
        return (string)body["access_token"]!;
    }

    private async Task<string> UserTokenAsync(string clientId, string user, string scope, string? basic)
    {
        (string verifier, string challenge) = CodeFlow.Pkce();
        string code = await CodeFlow.SignInAsync(Server, CodeFlow.AuthorizeParameters(clientId, scope, challenge), user);
        (HttpStatusCode status, JsonObject? body, _) = await CodeFlow.RedeemAsync(Server, clientId, code, verifier, basic);
        Assert.True(status == HttpStatusCode.OK, $"{user}: {(int)status} {body}");
        return (string)body!["access_token"]!;
    }
}

[CollectionDefinition(Name)]
public sealed class AttackSuiteDefinition : ICollectionFixture<AttackFixture>
{
    public const string Name = "Attack suite";
}
