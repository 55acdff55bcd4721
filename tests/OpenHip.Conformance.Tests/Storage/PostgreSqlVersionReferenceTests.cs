using Npgsql;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// A current row and an outbox event name their version row by seq. PostgreSQL no longer checks that with a foreign
/// key (migration 10, issue #5: two statements of its own per write, half of an ingest's statements); the writer
/// keeps it by writing all three in one statement. A foreign-key check shows as a row lock (FOR KEY SHARE) that it
/// leaves in the version row's xmax.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlVersionReferenceTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _connectionString = null!;
    private PostgreSqlFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await database.CreateSchemaAsync();
        _store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _connectionString }, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableFact]
    public async Task Commit_CreatesAndAnUpdate_RunNoForeignKeyCheckOnTheirVersionRows()
    {
        await _store.CommitAsync(new Changeset([Create("Patient", "p1"), Create("Patient", "p2")]), None);
        await _store.CommitAsync(Changeset.Of(Update("Patient", "p1", 2)), None);

        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM resource_version"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM resource_version WHERE xmax::text <> '0'"));
    }

    [SkippableFact]
    public async Task Commit_CreatesUpdatesAndADelete_LeaveNoCurrentRowOrEventWithoutItsVersion()
    {
        await _store.CommitAsync(new Changeset([Create("Patient", "p1"), Create("Observation", "o1"), Create("Observation", "o2")]), None);
        await _store.CommitAsync(new Changeset([Update("Patient", "p1", 2), Delete("Observation", "o1", 2)]), None);
        await _store.LoadAsync([Create("Patient", "p3")], "import", "1", None);

        Assert.Equal(0, await ScalarAsync(
            """
            SELECT count(*) FROM resource_current c
            WHERE NOT EXISTS (SELECT 1 FROM resource_version v WHERE v.seq = c.seq AND v.type = c.type AND v.id = c.id AND v.version = c.version)
            """));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM resource_version v WHERE v.seq = o.seq)"));
        Assert.Equal(6, await ScalarAsync("SELECT count(*) FROM outbox"));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
