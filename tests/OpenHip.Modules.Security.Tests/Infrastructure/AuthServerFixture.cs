namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>One auth-on server per test class, with the clients and users the tests of that class register.</summary>
public class AuthServerFixture : IAsyncLifetime
{
    public AuthServer Server { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Server = await AuthServer.StartAsync(Settings);
        await TestClients.RegisterAsync(Server);
    }

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();
}
