using Npgsql;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// PostgreSQL pays a fixed cost per statement (executor start and finish, portal, protocol messages), so a changeset's
/// index and compartment rows go in one statement whatever tables they fill, and an update's old index rows go in one
/// (issue #5: one statement per table cost five to seven per conditional create). Statement-level triggers record the
/// client statement (<c>current_query()</c>) that wrote or removed rows in each table.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlIndexStatementTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Tables = ["ix_string", "ix_token", "ix_date", "ix_uri", "compartment"];
    private string _connectionString = null!;
    private PostgreSqlFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await database.CreateSchemaAsync();
        _store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _connectionString }, TimeProvider.System);
        string triggers = string.Concat(Tables.Select(t =>
            $"CREATE TRIGGER log_{t} AFTER INSERT OR DELETE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION log_statement();"));
        await ExecuteAsync(
            $"""
            CREATE TABLE statement_log (tbl text NOT NULL, op text NOT NULL, query text NOT NULL);
            CREATE FUNCTION log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO statement_log VALUES (TG_TABLE_NAME, TG_OP, current_query());
                RETURN NULL;
            END
            $$;
            {triggers}
            """);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableFact]
    public async Task Commit_RowsForSeveralIndexTables_InsertsThemInOneStatement()
    {
        await _store.CommitAsync(Changeset.Of(Create("Patient", "p1", index: Entries("A"), compartments: ["p1"])), None);

        Assert.Equal(Tables.Order(StringComparer.Ordinal), await TablesWrittenAsync("INSERT"));
        Assert.Equal(1, await StatementsAsync("INSERT"));
    }

    [SkippableFact]
    public async Task Commit_UpdateOfAnIndexedResource_RemovesItsOldIndexRowsInOneStatement()
    {
        await _store.CommitAsync(Changeset.Of(Create("Patient", "p1", index: Entries("A"), compartments: ["p1"])), None);
        await ExecuteAsync("TRUNCATE statement_log");

        await _store.CommitAsync(Changeset.Of(Update("Patient", "p1", 2, index: Entries("B"), compartments: ["p1"])), None);

        // The index tables' deletes share one statement; compartments have their own keyed by (type, id).
        Assert.Equal(1, await StatementsAsync("DELETE", "ix_%"));
        Assert.Equal(1, await StatementsAsync("INSERT"));
        Assert.Equal(["p1"], await _store.FindByTokensAsync(Identifier("B"), None));
        Assert.Empty(await _store.FindByTokensAsync(Identifier("A"), None));
    }

    private static TokenQuery Identifier(string mrn) => new("Patient", [new TokenClause("identifier", [new TokenValue("urn:mrn", mrn)])], 2);

    private static IReadOnlyList<IndexEntry> Entries(string mrn) =>
    [
        Token("identifier", "urn:mrn", mrn),
        new StringIndexEntry("name", "zhang", "Zhang"),
        new DateIndexEntry("birthdate", T0, T0.AddDays(1)),
        new UriIndexEntry("url", "urn:x:" + mrn),
    ];

    private async Task<string[]> TablesWrittenAsync(string op)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT tbl FROM statement_log WHERE op = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = op });
        var tables = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return [.. tables.Order(StringComparer.Ordinal)];
    }

    private async Task<long> StatementsAsync(string op, string tables = "%")
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT query) FROM statement_log WHERE op = $1 AND tbl LIKE $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = op });
        command.Parameters.Add(new NpgsqlParameter { Value = tables });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
