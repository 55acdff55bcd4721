using Npgsql;
using Xunit;

namespace OpenHip.Testing;

/// <summary>
/// A database of its own for one test class (a class fixture), created on first use and dropped with the class.
/// Creating a database takes about half a second, so each test gets a fresh schema in it instead: a store opened on
/// <see cref="CreateSchemaAsync"/>'s connection string starts empty and migrates itself, as on a new database.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<(PostgreSqlTestServer Server, string ConnectionString)>? _created;

    /// <summary>The class's database, created on the first call.</summary>
    public async Task<string> GetConnectionStringAsync()
    {
        lock (_gate)
        {
            _created ??= CreateAsync();
        }

        return (await _created).ConnectionString;
    }

    /// <summary>
    /// A new empty schema first on the search path. Extensions live once per database, so pg_trgm goes into
    /// <c>public</c> (also on the path), where the store's migration finds it already there.
    /// </summary>
    public async Task<string> CreateSchemaAsync()
    {
        string database = await GetConnectionStringAsync();
        string schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"""
                CREATE SCHEMA {schema};
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
                        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
                    END IF;
                END
                $$;
                """,
                connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(database) { SearchPath = schema + ", public" }.ConnectionString;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_created is { IsCompletedSuccessfully: true } created)
        {
            await created.Result.Server.DropDatabaseAsync(created.Result.ConnectionString);
        }
    }

    private static async Task<(PostgreSqlTestServer, string)> CreateAsync()
    {
        PostgreSqlTestServer server = await PostgreSqlTestServer.GetAsync();
        return (server, await server.CreateDatabaseAsync());
    }
}
