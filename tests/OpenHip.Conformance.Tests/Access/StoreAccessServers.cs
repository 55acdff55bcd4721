using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Hosting;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Access;

public sealed class SqliteAccessServer : AccessServer;

public sealed class PostgreSqlAccessServer : AccessServer
{
    private readonly PostgreSqlTestDatabase _database = new();

    protected override async Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync() => new Dictionary<string, string?>
    {
        [StorageOptions.ProviderKey] = StorageOptions.Postgres,
        [PostgreSqlStoreOptions.ConnectionStringKey] = await _database.CreateSchemaAsync(),
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>The access enforcement suite against the SQLite store.</summary>
public sealed class SqliteAccessEnforcementTests(SqliteAccessServer server) : AccessEnforcementTests(server), IClassFixture<SqliteAccessServer>;

/// <summary>The access enforcement suite against the PostgreSQL store (same cases, same expectations).</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlAccessEnforcementTests(PostgreSqlAccessServer server) : AccessEnforcementTests(server), IClassFixture<PostgreSqlAccessServer>;
