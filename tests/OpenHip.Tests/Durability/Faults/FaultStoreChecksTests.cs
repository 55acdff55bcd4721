using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// The crash suite's table checks find what they look for: each damage a crash could leave, made by hand in a fresh
/// database, is reported, and a clean database reports nothing. Without this, a check that never fires would look like
/// a store that never breaks.
/// </summary>
public sealed class FaultStoreChecksTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-fault-checks", Guid.NewGuid().ToString("n"));
    private FaultStore _store = null!;

    public async Task InitializeAsync()
    {
        string data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        await using (SqliteFhirStore created = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(data, "openhip.db") }))
        {
            // Migrated on open; closed again so the checks see the file as a killed server leaves it.
        }

        _store = new FaultStore.Sqlite(data);
    }

    [Fact]
    public async Task Checks_CleanDatabase_FindNothing()
    {
        Assert.Empty(await _store.OrphanRowsAsync());
        Assert.Empty(await _store.UnindexedAsync("Patient"));
        Assert.Null(await _store.IntegrityProblemAsync());
        Assert.Contains(_store.AuditMigrationVersion, await _store.AppliedMigrationsAsync());
    }

    [Fact]
    public async Task OrphanRows_IndexAndCompartmentRowsOfNoResource_Reported()
    {
        Execute("INSERT INTO ix_token (rid, pid, system, code) VALUES (999, 1, NULL, 'x');"
            + "INSERT INTO compartment (type, id, patient_id) VALUES ('Observation', 'gone', 'p');");

        IReadOnlyList<string> orphans = await _store.OrphanRowsAsync();

        Assert.Contains("ix_token: 1 rows point at nothing", orphans);
        Assert.Contains("compartment: 1 rows point at nothing", orphans);
    }

    [Fact]
    public async Task Checks_ResourceWithoutIndexOrAuditRecord_Reported()
    {
        Execute("INSERT INTO resource_version (type, id, version, last_updated, method, deleted, json) VALUES ('Patient', 'p1', 1, 0, 0, 0, x'7b7d');"
            + "INSERT INTO resource_current (type, id, seq, version, deleted, last_updated) SELECT 'Patient', 'p1', MAX(seq), 1, 0, 0 FROM resource_version;");

        Assert.Equal(["Patient/p1"], await _store.UnindexedAsync("Patient"));
        Assert.Contains("Patient/p1", await _store.LiveResourcesAsync());
        Assert.Equal(["Patient/p1/_history/1"], await _store.VersionsAfterAsync(0));
        Assert.DoesNotContain("Patient/p1/_history/1", await _store.AuditedResourcesAsync());
    }

    [Fact]
    public async Task UndoAuditMigration_LeavesTheSchemaOfTheReleaseBefore()
    {
        await _store.UndoAuditMigrationAsync();

        Assert.DoesNotContain(_store.AuditMigrationVersion, await _store.AppliedMigrationsAsync());
        Assert.Throws<SqliteException>(() => Execute("SELECT COUNT(*) FROM audit_log"));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }

        return Task.CompletedTask;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_store.DataDirectory, "openhip.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
