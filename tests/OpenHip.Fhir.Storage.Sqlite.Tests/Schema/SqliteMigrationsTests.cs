using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Migrations;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Schema;

public sealed class SqliteMigrationsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private readonly MigrationRunner _runner = new(SqliteDialect.Instance, TimeProvider.System);

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task OpenAsync_ExistingDatabaseReopened_AppliesEachMigrationOnce()
    {
        await (await SqliteFhirStore.OpenAsync(_database.Options())).DisposeAsync();
        await (await SqliteFhirStore.OpenAsync(_database.Options())).DisposeAsync();

        Assert.Equal(SqliteMigrations.All.Count, _database.Count("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(SqliteMigrations.All.Max(m => m.Version), _database.Count("SELECT MAX(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task V2_OverAVersion1DatabaseWithData_KeepsResourcesAndTokensAndAsksForAReindex()
    {
        using (SqliteConnection connection = _database.OpenRaw())
        {
            await _runner.ApplyAsync(connection, [SqliteMigrations.All[0]], None);
            foreach (string sql in new[]
            {
                "INSERT INTO resource_version (type, id, version, last_updated, method, deleted, json) VALUES ('Patient', 'p1', 1, 1000, 0, 0, x'7b7d')",
                "INSERT INTO resource_current (type, id, seq, version, deleted, last_updated) VALUES ('Patient', 'p1', 1, 1, 0, 1000)",
                "INSERT INTO token_index (type, id, param, system, code) VALUES ('Patient', 'p1', 'identifier', 'urn:x', '42')",
            })
            {
                TempDatabase.Scalar(connection, sql);
            }
        }

        await using (SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options()))
        {
            IReadOnlyList<string> found = await store.FindByTokensAsync(
                new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("urn:x", "42")])], 10), None);
            Assert.Equal(["p1"], found);
            Assert.NotNull(await store.ReadCurrentAsync("Patient", "p1", None));
        }

        Assert.Equal(1, _database.Count("SELECT COUNT(*) FROM index_state WHERE key = 'reindex-required'"));
    }

    [Fact]
    public async Task V5_OverAVersion4AuditLog_KeepsEveryPatientKeyAndLetsThemNameBlockEvents()
    {
        using (SqliteConnection connection = _database.OpenRaw())
        {
            await _runner.ApplyAsync(connection, [.. SqliteMigrations.All.Take(4)], None);
            foreach (string sql in new[]
            {
                "INSERT INTO audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES ('c', 1, 1000, 'dr-a', x'01', x'02', x'00')",
                "INSERT INTO audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES ('c', 2, 1001, 'dr-a', x'01', x'03', x'02')",
                "INSERT INTO audit_patient (patient_id, recorded, aid) VALUES ('p1', 1000, 1)",
                "INSERT INTO audit_patient_recent (aid, patient_id, recorded) VALUES (2, 'p2', 1001)",
            })
            {
                TempDatabase.Scalar(connection, sql);
            }

            await _runner.ApplyAsync(connection, [.. SqliteMigrations.All.Take(5)], None);
            TempDatabase.Scalar(connection, "PRAGMA foreign_keys = ON");

            // A key of an event id that is in no audit_log row (a block's) is no longer refused.
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_recent (aid, patient_id, recorded) VALUES (3, 'p3', 1002)");
            Assert.Throws<SqliteException>(() => TempDatabase.Scalar(connection, "DELETE FROM audit_patient"));
            Assert.Throws<SqliteException>(() => TempDatabase.Scalar(connection, "UPDATE audit_patient_recent SET recorded = 0"));
        }

        Assert.Equal(1, _database.Count("SELECT COUNT(*) FROM audit_patient WHERE patient_id = 'p1' AND recorded = 1000 AND aid = 1"));
        Assert.Equal(2, _database.Count("SELECT COUNT(*) FROM audit_patient_recent"));
        Assert.Equal(2, _database.Count("SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public async Task V6_OverAVersion5PatientIndex_MakesItsKeysTheFirstRunAndLetsMergesDelete()
    {
        using (SqliteConnection connection = _database.OpenRaw())
        {
            await _runner.ApplyAsync(connection, [.. SqliteMigrations.All.Take(5)], None);
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient (patient_id, recorded, aid) VALUES ('p1', 1000, 1), ('p2', 1001, 2), ('p1', 1002, 3)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_recent (aid, patient_id, recorded) VALUES (4, 'p1', 1003)");

            await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

            Assert.Equal(2L, TempDatabase.Scalar(connection, $"SELECT COUNT(*) FROM {SqliteMigrations.AuditPatientKeys} x WHERE x.patient_id = 'p1' AND x.aid < 4"));
            Assert.Equal(1L, TempDatabase.Scalar(connection, $"SELECT COUNT(*) FROM {SqliteMigrations.AuditPatientKeys} x WHERE x.patient_id = 'p1' AND x.aid = 4"));
            Assert.Throws<SqliteException>(() => TempDatabase.Scalar(connection, "UPDATE audit_patient SET recorded = 0"));
            TempDatabase.Scalar(connection, "DELETE FROM audit_patient WHERE aid = 2");
        }

        Assert.Equal(1, _database.Count("SELECT COUNT(*) FROM audit_patient_run WHERE run = 1 AND keys = 3 AND merging_into IS NULL"));
        Assert.Equal(2, _database.Count("SELECT COUNT(*) FROM audit_patient WHERE run = 1"));
    }

    [Fact]
    public async Task V6_OverAnEmptyPatientIndex_ListsNoRun()
    {
        using SqliteConnection connection = _database.OpenRaw();
        await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

        Assert.Equal(0L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM audit_patient_run"));
    }

    [Fact]
    public async Task V7_OverAVersion6PatientIndex_LeavesItsKeysWhereReadersFindThemAndAddsThePages()
    {
        using (SqliteConnection connection = _database.OpenRaw())
        {
            await _runner.ApplyAsync(connection, [.. SqliteMigrations.All.Take(6)], None);
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_run (run, keys) VALUES (1, 1)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient (run, patient_id, recorded, aid) VALUES (1, 'p1', 1000, 1)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_recent (aid, patient_id, recorded) VALUES (2, 'p1', 1001)");

            await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

            Assert.Equal(2L, TempDatabase.Scalar(connection, $"SELECT COUNT(*) FROM {SqliteMigrations.AuditPatientKeys} x WHERE x.patient_id = 'p1'"));
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_page_run (run, keys) VALUES (1, 1)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_page (run, page_no, first_patient, last_patient, page) VALUES (1, 1, 'p2', 'p2', x'01')");
            Assert.Throws<SqliteException>(() => TempDatabase.Scalar(connection, "UPDATE audit_patient_page SET page = x'02'"));
            TempDatabase.Scalar(connection, "DELETE FROM audit_patient_page WHERE run = 1");
        }

        Assert.Equal(0, _database.Count("SELECT COUNT(*) FROM audit_patient_page"));
    }

    [Fact]
    public async Task V8_OverAVersion7PatientIndex_LeavesItsPagesAndAddsHashedPagesThatAreNeverUpdated()
    {
        using (SqliteConnection connection = _database.OpenRaw())
        {
            await _runner.ApplyAsync(connection, [.. SqliteMigrations.All.Take(7)], None);
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_page_run (run, keys) VALUES (1, 1)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_page (run, page_no, first_patient, last_patient, page) VALUES (1, 1, 'p1', 'p1', x'01')");

            await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

            Assert.Equal(1L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM audit_patient_page WHERE run = 1"));
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_hash_run (run, keys) VALUES (1, 1)");
            TempDatabase.Scalar(connection, "INSERT INTO audit_patient_hash_page (run, page_no, first_hash, last_hash, page) VALUES (1, 1, -5, 7, x'02')");
            Assert.Throws<SqliteException>(() => TempDatabase.Scalar(connection, "UPDATE audit_patient_hash_page SET page = x'03'"));
            TempDatabase.Scalar(connection, "DELETE FROM audit_patient_hash_page WHERE run = 1");
        }

        Assert.Equal(0, _database.Count("SELECT COUNT(*) FROM audit_patient_hash_page"));
    }

    [Fact]
    public async Task ApplyAsync_AllAlreadyApplied_AppliesNothing()
    {
        using SqliteConnection connection = _database.OpenRaw();
        await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

        IReadOnlyList<int> second = await _runner.ApplyAsync(connection, SqliteMigrations.All, None);

        Assert.Empty(second);
    }

    [Fact]
    public async Task ApplyAsync_NewMigrationAdded_AppliesOnlyTheMissingOne()
    {
        using SqliteConnection connection = _database.OpenRaw();
        Migration first = new(1, "one", "CREATE TABLE one (x INTEGER);");
        Migration second = new(2, "two", "CREATE TABLE two (x INTEGER);");
        await _runner.ApplyAsync(connection, [first], None);

        IReadOnlyList<int> applied = await _runner.ApplyAsync(connection, [second, first], None);

        Assert.Equal([2], applied);
        Assert.Equal("two", TempDatabase.Scalar(connection, "SELECT name FROM schema_migrations WHERE version = 2"));
    }

    [Fact]
    public async Task ApplyAsync_MigrationFailsHalfWay_LeavesNoneOfItAndKeepsEarlierOnes()
    {
        using SqliteConnection connection = _database.OpenRaw();
        Migration good = new(1, "good", "CREATE TABLE good (x INTEGER);");
        Migration bad = new(2, "bad", "CREATE TABLE half (x INTEGER); INSERT INTO missing_table VALUES (1);");

        await Assert.ThrowsAsync<SqliteException>(() => _runner.ApplyAsync(connection, [good, bad], None));

        Assert.Equal(1L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(1L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'good'"));
        Assert.Equal(0L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }

    [Fact]
    public async Task ApplyAsync_DuplicateVersions_ThrowsBeforeTouchingTheDatabase()
    {
        using SqliteConnection connection = _database.OpenRaw();

        await Assert.ThrowsAsync<ArgumentException>(() => _runner.ApplyAsync(connection, [new(1, "a", "SELECT 1;"), new(1, "b", "SELECT 1;")], None));

        Assert.Equal(0L, TempDatabase.Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'"));
    }

    [Fact]
    public void All_Versions_AreAscendingAndUnique()
    {
        int[] versions = [.. SqliteMigrations.All.Select(m => m.Version)];

        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal(1, versions[0]);
    }
}
