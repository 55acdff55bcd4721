using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Users;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>The clients, users and keys every auth-on test server starts with.</summary>
public static class TestClients
{
    public const string RedirectUri = "http://127.0.0.1:9/callback";
    public const string PublicApp = "patient-app";
    public const string ConfidentialApp = "clinic-app";
    public const string ConfidentialSecret = "clinic-secret-123";
    public const string BackendRs = "backend-rs384";
    public const string BackendEs = "backend-es384";
    public const string Password = "correct horse battery";

    public static readonly TestKey RsKey = TestKey.Rsa("RS384");
    public static readonly TestKey EsKey = TestKey.Ec("ES384");

    public static async Task RegisterAsync(AuthServer server)
    {
        await server.AddClientAsync(new ClientRegistration
        {
            ClientId = PublicApp,
            Public = true,
            RedirectUris = [RedirectUri],
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["patient/*", "user/*"],
            Source = "urn:oid:1.2.156.1",
        });
        await server.AddClientAsync(new ClientRegistration
        {
            ClientId = ConfidentialApp,
            Secret = ConfidentialSecret,
            RedirectUris = [RedirectUri],
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["user/*", "patient/*"],
            Source = "urn:oid:1.2.156.2",
        });
        await server.AddClientAsync(new ClientRegistration
        {
            ClientId = BackendRs,
            Jwks = RsKey.Jwks,
            GrantTypes = ["client_credentials"],
            Scopes = ["system/*"],
            Source = "urn:oid:1.2.156.3",
            PurposesOfUse = ["PUBHLTH"],
        });
        await server.AddClientAsync(new ClientRegistration
        {
            ClientId = BackendEs,
            Jwks = EsKey.Jwks,
            GrantTypes = ["client_credentials"],
            Scopes = ["system/*"],
            Source = "urn:oid:1.2.156.4",
        });
        await server.AddUserAsync(new UserRegistration
        {
            UserName = "resident1",
            Password = Password,
            Kind = "resident",
            FhirUser = "Patient/p-123",
            Roles = ["resident"],
        });
        await server.AddUserAsync(new UserRegistration
        {
            UserName = "doctor1",
            Password = Password,
            Kind = "practitioner",
            FhirUser = "Practitioner/dr-1",
            Roles = ["clinician", "physician"],
            PurposesOfUse = ["TREAT", "ETREAT"],
        });
        await server.AddUserAsync(new UserRegistration
        {
            UserName = "operator1",
            Password = Password,
            Kind = "operator",
            FhirUser = "Practitioner/op-1",
            Roles = ["operator"],
        });
    }
}
