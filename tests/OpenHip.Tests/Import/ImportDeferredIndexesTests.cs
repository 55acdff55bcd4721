using Npgsql;
using OpenHip.Fhir.Faults;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Hosting;
using OpenHip.Testing;
using OpenHip.Tests.Durability;

namespace OpenHip.Tests.Import;

/// <summary>
/// Batched indexing of <c>openhip import</c> on PostgreSQL: a load larger than the store drops the secondary indexes
/// and builds them after it. A process killed in the middle leaves a database whose next open builds them again, and
/// the rerun loads every resource once.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class ImportDeferredIndexesTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private const int Patients = 40;

    // The tables the bulk path writes, each with autovacuum switched off while its indexes are deferred.
    private const int LoadedTables = 11;

    private const string AutovacuumOffSql =
        "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND 'autovacuum_enabled=false' = ANY (reloptions)";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-import", Guid.NewGuid().ToString("n"));

    [SkippableFact]
    public async Task Import_KilledInsideABatch_NextOpenRebuildsTheDeferredIndexesAndTheRerunLoadsEachResourceOnce()
    {
        string connectionString = await database.CreateSchemaAsync();
        await (await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System)).DisposeAsync();
        IReadOnlyList<string> schemaIndexes = await IndexesAsync(connectionString);
        string folder = PatientsFolder();

        // The third batch of seven dies before its commit: two batches are in, with the indexes dropped.
        (int exit, string output) = await OpenHipProcess.RunAsync(
            _root,
            ["import", folder, "--batch-size", "7", "--store", "postgres", "--connection", connectionString],
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string>(NoSeedingEnvironment) { [FaultInjection.PointVariable] = FaultPoints.BulkBatch, [FaultInjection.AfterVariable] = "3" });
        Assert.True(exit != 0 && output.Contains("killing the process at " + FaultPoints.BulkBatch, StringComparison.Ordinal), $"import exited {exit}:{Environment.NewLine}{output}");
        Assert.Equal(14, await ScalarAsync(connectionString, "SELECT count(*) FROM resource_current"));
        IReadOnlyList<string> afterKill = await IndexesAsync(connectionString);
        Assert.True(afterKill.Count < schemaIndexes.Count, "the load deferred no index");
        Assert.Contains(afterKill, i => i.Contains("UNIQUE", StringComparison.Ordinal));
        Assert.Equal(schemaIndexes.Count - afterKill.Count, await ScalarAsync(connectionString, "SELECT count(*) FROM index_state WHERE key LIKE 'deferred-index:%'"));
        Assert.Equal(LoadedTables, await ScalarAsync(connectionString, AutovacuumOffSql));
        Assert.Equal(LoadedTables, await ScalarAsync(connectionString, "SELECT count(*) FROM index_state WHERE key LIKE 'deferred-autovacuum:%'"));

        // Any open of the store (serve, import, db migrate) builds them before anything else.
        await (await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System)).DisposeAsync();
        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT count(*) FROM index_state WHERE key LIKE 'deferred-index:%'"));
        Assert.Equal(0, await ScalarAsync(connectionString, AutovacuumOffSql));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT count(*) FROM index_state WHERE key LIKE 'deferred-autovacuum:%'"));

        Assert.Equal(0, await OpenHipServer.ImportAsync(null, Settings(connectionString), folder, 7, None));
        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        Assert.Equal(Patients, await ScalarAsync(connectionString, "SELECT count(*) FROM resource_current"));
        Assert.Equal(Patients, await ScalarAsync(connectionString, "SELECT count(*) FROM resource_version"));

        // Counted, not read through the store: its outbox reads wait for every older transaction of the cluster to end.
        Assert.Equal(Patients, await ScalarAsync(connectionString, "SELECT count(*) FROM outbox"));
        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        Assert.Equal(["p3", "p33"], (await store.FindByTokensAsync(Identifier("mrn-3"), None)).Concat(await store.FindByTokensAsync(Identifier("mrn-33"), None)));
    }

    [SkippableFact]
    public async Task BeginLoad_SmallerThanTheStore_KeepsEveryIndex_LargerDefersOnlyTheNonUniqueOnes()
    {
        string connectionString = await database.CreateSchemaAsync();
        Assert.Equal(0, await OpenHipServer.ImportAsync(null, Settings(connectionString), PatientsFolder(), 100, None));
        IReadOnlyList<string> schemaIndexes = await IndexesAsync(connectionString);
        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);

        await store.BeginLoadAsync(100, None);
        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        Assert.Equal(0, await ScalarAsync(connectionString, AutovacuumOffSql));

        await store.BeginLoadAsync(1L << 40, None);
        IReadOnlyList<string> during = await IndexesAsync(connectionString);
        Assert.Equal(schemaIndexes.Where(i => i.Contains("UNIQUE", StringComparison.Ordinal)), during.Where(i => i.Contains("UNIQUE", StringComparison.Ordinal)));
        Assert.DoesNotContain(during, i => i.Contains(" ix_token_lookup ", StringComparison.Ordinal));
        Assert.Equal(LoadedTables, await ScalarAsync(connectionString, AutovacuumOffSql));

        await store.EndLoadAsync(None);
        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        Assert.Equal(0, await ScalarAsync(connectionString, AutovacuumOffSql));
    }

    [SkippableFact]
    public async Task BeginLoad_AutovacuumSetOnATableByAnOperator_LeavesThatSettingAndPausesTheOthers()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var set = new NpgsqlCommand("ALTER TABLE ix_uri SET (autovacuum_enabled = true, autovacuum_vacuum_scale_factor = 0.05)", connection);
            await set.ExecuteNonQueryAsync();
        }

        await store.BeginLoadAsync(1L << 40, None);
        Assert.Equal(LoadedTables - 1, await ScalarAsync(connectionString, AutovacuumOffSql));

        await store.EndLoadAsync(None);
        Assert.Equal(0, await ScalarAsync(connectionString, AutovacuumOffSql));
        Assert.Equal(1, await ScalarAsync(connectionString, "SELECT count(*) FROM pg_class WHERE oid = 'ix_uri'::regclass AND reloptions = '{autovacuum_enabled=true,autovacuum_vacuum_scale_factor=0.05}'"));
    }

    [SkippableFact]
    public async Task EndLoad_AnotherProcessBuildingOneIndex_BuildsTheOthersMeanwhileAndThatOneAfterItsRollback()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        IReadOnlyList<string> schemaIndexes = await IndexesAsync(connectionString);
        await store.BeginLoadAsync(1L << 40, None);
        IReadOnlyList<string> during = await IndexesAsync(connectionString);

        // Another process rebuilding ix_token_lookup: its transaction holds the rebuilders' lock and the index's row.
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using NpgsqlTransaction building = await other.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock_shared(hashtext('openhip:deferred-indexes')); DELETE FROM index_state WHERE key LIKE 'deferred-index:%.ix_token_lookup'", other, building))
        {
            await take.ExecuteNonQueryAsync();
        }

        Task end = store.EndLoadAsync(None);
        DateTime deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await IndexesAsync(connectionString)).Count < schemaIndexes.Count - 1 && DateTime.UtcNow < deadline && !end.IsCompleted)
        {
            await Task.Delay(50);
        }

        IReadOnlyList<string> meanwhile = await IndexesAsync(connectionString);
        Assert.True(during.Count < schemaIndexes.Count - 1, "the load deferred too few indexes for this test");
        Assert.Equal(schemaIndexes.Where(i => !i.Contains(" ix_token_lookup ", StringComparison.Ordinal)), meanwhile);
        Assert.False(end.IsCompleted, "the end of the load did not wait for the other builder");

        // The other builder dies: its row comes back, and the waiting end of the load builds that index too.
        await building.RollbackAsync();
        await end.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT count(*) FROM index_state WHERE key LIKE 'deferred-index:%'"));
    }

    [SkippableFact]
    public async Task BeginLoad_DeferIndexesOnImportOff_KeepsEveryIndex()
    {
        string connectionString = await database.CreateSchemaAsync();
        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(
            new PostgreSqlStoreOptions { ConnectionString = connectionString, DeferIndexesOnImport = false }, TimeProvider.System);
        IReadOnlyList<string> schemaIndexes = await IndexesAsync(connectionString);

        await store.BeginLoadAsync(1L << 40, None);

        Assert.Equal(schemaIndexes, await IndexesAsync(connectionString));
        await store.EndLoadAsync(None);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    // The shipped terminology is left out, so that the store holds only what is imported.
    private static readonly Dictionary<string, string> NoSeedingEnvironment = new()
    {
        ["OPENHIP__Modules__Terminology__LoadCoreContent"] = "false",
        ["OPENHIP__Modules__Terminology__LoadNationalContent"] = "false",
    };

    private static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Modules:Terminology:LoadCoreContent"] = "false",
        ["Modules:Terminology:LoadNationalContent"] = "false",
        [StorageOptions.ProviderKey] = StorageOptions.Postgres,
        [PostgreSqlStoreOptions.ConnectionStringKey] = connectionString,
    };

    private static TokenQuery Identifier(string value) =>
        new("Patient", [new TokenClause("identifier", [new TokenValue("urn:test:mrn", value)])], 10);

    private string PatientsFolder()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("n"))).FullName;
        File.WriteAllLines(Path.Combine(folder, "Patient.ndjson"), Enumerable.Range(0, Patients).Select(i =>
            $$"""{"resourceType":"Patient","id":"p{{i}}","identifier":[{"system":"urn:test:mrn","value":"mrn-{{i}}"}],"name":[{"family":"Zhang","given":["Wei{{i}}"]}]}"""));
        return folder;
    }

    /// <summary>Every index of the store's schema with its definition, in name order.</summary>
    private static async Task<IReadOnlyList<string>> IndexesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        List<string> indexes = [];
        while (await reader.ReadAsync())
        {
            indexes.Add(reader.GetString(0));
        }

        return indexes;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
