using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Hosting;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>The PostgreSQL store: one database for the suite, each fixture's server on a fresh schema of it.</summary>
public sealed class PostgreSqlSearchServers : SearchServers
{
    private readonly PostgreSqlTestDatabase _database = new();

    protected override IReadOnlyDictionary<string, string?> StoreSettings { get; } = new Dictionary<string, string?>
    {
        [StorageOptions.ProviderKey] = StorageOptions.Postgres,
    };

    protected override async Task<IReadOnlyDictionary<string, string?>> StoreSettingsForServerAsync() =>
        new Dictionary<string, string?>(StoreSettings)
        {
            [PostgreSqlStoreOptions.ConnectionStringKey] = await _database.CreateSchemaAsync(),
        };

    protected override Task DeleteStoreAsync() => _database.DisposeAsync();
}
