using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Persistence;

namespace OpenHip.Hosting;

/// <summary>
/// Hands the security module what it must not read from other sections itself: where the auth tables live (beside
/// the FHIR store), the FHIR base URL (the tokens' audience) and whether this is a demo.
/// </summary>
internal static class AuthSettings
{
    /// <summary>
    /// Security:Auth:Enabled (and its older spelling Server:AuthEnabled, which the loopback check reads): on unless
    /// either says false.
    /// </summary>
    public static bool ResolveEnabled(IConfiguration configuration)
    {
        bool enabled = !string.Equals(configuration[AuthOptions.EnabledKey], "false", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(configuration[ServerOptions.AuthEnabledKey], "false", StringComparison.OrdinalIgnoreCase);
        string value = enabled ? "true" : "false";
        configuration[AuthOptions.EnabledKey] = value;
        configuration[ServerOptions.AuthEnabledKey] = value;
        return enabled;
    }

    /// <returns>Where the auth tables live.</returns>
    public static AuthStoreOptions Apply(IConfiguration configuration, ServerOptions server, StorageOptions storage, string fhirBaseUrl)
    {
        AuthStoreOptions store = Store(server, storage);
        configuration[AuthStoreOptions.SectionName + ":Provider"] = store.Provider;
        configuration[AuthStoreOptions.SectionName + ":SqlitePath"] = store.SqlitePath;
        configuration[AuthStoreOptions.SectionName + ":ConnectionString"] = store.ConnectionString;
        configuration["Security:Auth:FhirBaseUrl"] = fhirBaseUrl;
        configuration["Security:Auth:FhirBasePath"] = new Uri(fhirBaseUrl).AbsolutePath.TrimEnd('/');
        configuration["Security:Auth:Demo"] = server.Demo ? "true" : "false";
        configuration[Modules.Security.Features.Audit.AuditLogOptions.SectionName + ":DataDirectory"] = server.DataDirectory;
        return store;
    }

    /// <summary>SQLite: <c>auth.db</c> beside <c>openhip.db</c> (its own writer, so the FHIR store's single writer never waits on logins). PostgreSQL: the same database, schema <c>auth</c>.</summary>
    public static AuthStoreOptions Store(ServerOptions server, StorageOptions storage) => storage.IsPostgres
        ? new AuthStoreOptions { Provider = "postgres", ConnectionString = storage.PostgreSql.ConnectionString }
        : new AuthStoreOptions { Provider = "sqlite", SqlitePath = Path.Combine(server.DataDirectory, "auth.db") };
}
