using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Hosting;

/// <summary>
/// <c>openhip auth ...</c>: the auth tables of the configured store (the same <c>--data-dir</c>/<c>--store</c>/
/// <c>--connection</c> as <c>serve</c>), migrated, with the client and user administration; no server is started.
/// </summary>
internal static class AuthAdministrationHost
{
    public static async Task<int> RunAsync(
        string? configFile, IReadOnlyDictionary<string, string?> overrides, Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var configuration = new ConfigurationManager();
        OpenHipServer.AddSources(configuration, configFile, overrides);
        AuthStoreOptions store;
        try
        {
            ServerOptions server = OpenHipServer.Bind<ServerOptions>(configuration, ServerOptions.SectionName, null);
            StorageOptions storage = OpenHipServer.Bind<StorageOptions>(configuration, StorageOptions.SectionName, new StorageOptionsValidator());
            store = AuthSettings.Store(server, storage);
            Directory.CreateDirectory(server.DataDirectory);
        }
        catch (OptionsValidationException ex)
        {
            return await OpenHipServer.ReportInvalidAsync(ex).ConfigureAwait(false);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(AuthDatabases.For(store));
        // The JWKS allow-list applies to clients registered from the command line too.
        var auth = new AuthOptions();
        configuration.GetSection(AuthOptions.SectionName).Bind(auth);
        services.AddSingleton(auth);
        services.AddAuthManagement(store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<AuthSchemaMigrator>().MigrateAsync(ct).ConfigureAwait(false);
        await using AsyncServiceScope scope = provider.CreateAsyncScope();
        return await body(scope.ServiceProvider, ct).ConfigureAwait(false);
    }
}
