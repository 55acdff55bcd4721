using Npgsql;
using OpenHip.Hosting;
using OpenHip.Testing;

namespace OpenHip.Tests.Storage;

/// <summary>`openhip db migrate` against a real PostgreSQL: applies every step once, then finds nothing to do.</summary>
[Collection(PostgreSqlTests.Name)]
public sealed class DbMigrateTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    [SkippableFact]
    public async Task Migrate_PostgresTwice_AppliesEveryStepOnceAndSucceedsBothTimes()
    {
        string connectionString = await database.CreateSchemaAsync();
        var settings = new Dictionary<string, string?>
        {
            [StorageOptions.ProviderKey] = StorageOptions.Postgres,
            ["Storage:PostgreSql:ConnectionString"] = connectionString,
        };

        int first = await OpenHipServer.MigrateAsync(null, settings, CancellationToken.None);
        int second = await OpenHipServer.MigrateAsync(null, settings, CancellationToken.None);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations", connection);
        Assert.Equal("1,2,3,4,5,6,7,8,9,10,11", await command.ExecuteScalarAsync());
    }
}
