using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// The audit log's parts over a real store (SQLite file or PostgreSQL schema), a file witness and a key in a temporary
/// folder, with checkpoints taken when the test says, and raw SQL for playing the attacker.
/// </summary>
internal sealed class AuditLogHarness : IAsyncDisposable
{
    private readonly string? _sqlitePath;
    private readonly string? _postgres;

    private AuditLogHarness(string root, RelationalFhirStore store, AuditLogOptions options, string? sqlitePath, string? postgres)
    {
        Root = root;
        Store = store;
        Options = options;
        _sqlitePath = sqlitePath;
        _postgres = postgres;
        Key = AuditSigningKey.LoadOrCreate(options.ResolvedSigningKeyPath, out _);
        Witness = new FileAuditWitness(options.ResolvedWitnessPath);
        (Lanes, Writer, Checkpointer) = Node(store, options, Key, Witness);
    }

    public string Root { get; }

    public RelationalFhirStore Store { get; }

    public AuditLogOptions Options { get; }

    public AuditLanes Lanes { get; private set; }

    public AuditLogWriter Writer { get; private set; }

    public AuditSigningKey Key { get; }

    public FileAuditWitness Witness { get; }

    public AuditCheckpointer Checkpointer { get; private set; }

    public string WitnessPath => Options.ResolvedWitnessPath;

    public bool IsSqlite => _sqlitePath is not null;

    public static async Task<AuditLogHarness> SqliteAsync(
        int lanes = 1, int checkpointEvery = 1_000_000, Action<AuditLogOptions>? configure = null, int auditPatientRunsPerLevel = 10)
    {
        string root = NewRoot();
        string path = Path.Combine(root, "data", "openhip.db");
        var options = new SqliteStoreOptions { DatabasePath = path, AuditPatientRunsPerLevel = auditPatientRunsPerLevel };
        SqliteFhirStore store = await SqliteFhirStore.OpenAsync(options);

        // Everything the harness records is appended apart from FHIR data, so it lands in the audit log's own file.
        return await StartAsync(root, store, lanes, options.AuditDatabasePath, null, checkpointEvery, configure);
    }

    public static async Task<AuditLogHarness> PostgreSqlAsync(string connectionString, int lanes = 1, Action<AuditLogOptions>? configure = null)
    {
        PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        return await StartAsync(NewRoot(), store, lanes, null, connectionString, 1_000_000, configure);
    }

    /// <summary>
    /// Records <paramref name="count"/> reads of <paramref name="patient"/>'s data by <paramref name="who"/>, each awaited,
    /// then moves them from the journal into the log (as a search of AuditEvent does).
    /// </summary>
    public async Task RecordAsync(int count, string patient = "p1", string who = "dr-a", DateTimeOffset? at = null)
    {
        DateTimeOffset when = at ?? DateTimeOffset.UtcNow;
        for (int i = 0; i < count; i++)
        {
            await Writer.RecordAsync(Read(patient, who, when.AddMilliseconds(i)), CancellationToken.None);
        }

        await Writer.FlushAsync(CancellationToken.None);
    }

    /// <summary>Every page of the query, following each page's cursor; no page longer than asked.</summary>
    public async Task<List<StoredAuditRow>> SearchAllPagesAsync(AuditQuery query)
    {
        var seen = new List<StoredAuditRow>();
        string? cursor = null;
        do
        {
            AuditPage page = await Store.SearchAuditAsync(query with { After = cursor }, CancellationToken.None);
            Assert.True(page.Rows.Count <= query.Count);
            seen.AddRange(page.Rows);
            cursor = page.Next;
        }
        while (cursor is not null);

        return seen;
    }

    public static AuditRecord Read(string patient, string who, DateTimeOffset when) =>
        new(when, "read", who, "org-1", $"Patient/{patient}", [patient], 200, Guid.NewGuid().ToString("n"));

    public Task CheckpointAsync() => Checkpointer.CheckpointAsync(final: false, CancellationToken.None);

    /// <summary>
    /// A stop (clean: with its final checkpoint; else as after a crash) and a new start of the node over the same store,
    /// key and witness; <paramref name="whileStopped"/> runs in between (e.g. leaving what a crashed run leaves).
    /// </summary>
    public async Task RestartAsync(bool clean = true, Func<Task>? whileStopped = null)
    {
        if (clean)
        {
            await Checkpointer.StopAsync(CancellationToken.None);
        }

        await Writer.DisposeAsync();
        await Checkpointer.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        (Lanes, Writer, Checkpointer) = Node(Store, Options, Key, Witness);
        await Checkpointer.StartAsync(CancellationToken.None);
    }

    public async Task<AuditVerificationReport> VerifyAsync()
    {
        string[]? lines = File.Exists(WitnessPath) ? await File.ReadAllLinesAsync(WitnessPath) : null;
        return await new AuditLogVerifier(Store).VerifyAsync(lines, Key.PublicKey, CancellationToken.None);
    }

    /// <summary>The one chain the harness wrote (with one lane).</summary>
    public async Task<string> OnlyChainAsync() => Assert.Single(await Store.ListChainsAsync(CancellationToken.None)).ChainId;

    /// <summary>Runs SQL as someone with write access to the database file or server, past the append-only triggers.</summary>
    public async Task TamperAsync(string sql, params (string Name, object Value)[] parameters)
    {
        if (_sqlitePath is not null)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqlitePath, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText =
                """
                DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
                DROP TRIGGER IF EXISTS audit_patient_no_update; DROP TRIGGER IF EXISTS audit_patient_no_delete;
                DROP TRIGGER IF EXISTS audit_patient_recent_no_update;
                DROP TRIGGER IF EXISTS audit_checkpoint_no_update; DROP TRIGGER IF EXISTS audit_checkpoint_no_delete;
                DROP TRIGGER IF EXISTS audit_block_no_update; DROP TRIGGER IF EXISTS audit_block_no_delete;
                DROP TRIGGER IF EXISTS audit_block_agent_no_update; DROP TRIGGER IF EXISTS audit_block_agent_no_delete;
                """ + sql;
            foreach ((string name, object value) in parameters)
            {
                command.Parameters.AddWithValue("@" + name, value);
            }

            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var pg = new NpgsqlConnection(_postgres);
        await pg.OpenAsync();
        await using NpgsqlCommand pgCommand = pg.CreateCommand();
        pgCommand.CommandText =
            """
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            ALTER TABLE audit_patient DISABLE TRIGGER audit_patient_append_only;
            ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only;
            """ + sql;
        foreach ((string name, object value) in parameters)
        {
            pgCommand.Parameters.AddWithValue(name, value);
        }

        await pgCommand.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes the chain's rows matching <paramref name="condition"/> (on <c>seq</c>), their patient keys first.</summary>
    public async Task DeleteRowsAsync(string chain, string condition)
    {
        await EditPatientKeysAsync(chain, condition, _ => []);
        await TamperAsync($"DELETE FROM audit_log WHERE chain_id = @chain AND {condition}", ("chain", chain));
    }

    /// <summary>
    /// Passes the patient keys of the chain's rows matching <paramref name="condition"/> (on <c>seq</c>) through
    /// <paramref name="edit"/>: what it returns replaces the key (nothing deletes it), wherever the store keeps it.
    /// </summary>
    public async Task EditPatientKeysAsync(string chain, string condition, Func<IndexKey, IEnumerable<IndexKey>> edit)
    {
        HashSet<long> aids = [];
        await ReadAsync($"SELECT aid FROM audit_log WHERE chain_id = @chain AND {condition}", ("chain", chain), reader => aids.Add(reader.GetInt64(0)));
        await EditPatientKeysAsync(key => aids.Contains(key.Aid) ? edit(key) : [key]);
    }

    /// <summary>
    /// Every patient key passed through <paramref name="edit"/>, as someone with write access to the database could:
    /// SQLite's pages decoded, edited and written again run by run; PostgreSQL's rows deleted and inserted.
    /// </summary>
    public async Task EditPatientKeysAsync(Func<IndexKey, IEnumerable<IndexKey>> edit)
    {
        if (_sqlitePath is null)
        {
            var keys = new List<IndexKey>();
            await ReadAsync("SELECT patient_id, recorded, aid FROM audit_patient", null, reader => keys.Add(
                new(reader.GetString(0), HashedPatientKey.Of(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2))));
            var sql = new System.Text.StringBuilder("DELETE FROM audit_patient;");
            foreach (IndexKey key in keys.SelectMany(edit))
            {
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO audit_patient (patient_id, recorded, aid) VALUES ('{key.Patient}', {key.Recorded}, {key.Aid});");
            }

            await TamperAsync(sql.ToString());
            return;
        }

        var runs = new SortedDictionary<long, List<HashedPatientKey>>();
        await ReadAsync("SELECT run, page FROM audit_patient_hash_page ORDER BY run, page_no", null, reader =>
        {
            var page = new List<HashedPatientKey>();
            HashedKeyPage.Decode(reader.GetFieldValue<byte[]>(1), page);
            long run = reader.GetInt64(0);
            runs[run] = [.. runs.GetValueOrDefault(run) ?? [], .. page
                .SelectMany(k => edit(new IndexKey(null, k.Patient, k.Recorded, k.Aid)))
                .Select(k => new HashedPatientKey(k.Hash, k.Recorded, k.Aid))];
        });

        await using SqliteConnection connection = await OpenSqliteAsync();
        await using SqliteTransaction transaction = connection.BeginTransaction();
        await using (SqliteCommand clear = connection.CreateCommand())
        {
            clear.CommandText = "DELETE FROM audit_patient_hash_page";
            await clear.ExecuteNonQueryAsync();
        }

        byte[] bytes = new byte[HashedKeyPage.MaxBytes];
        foreach ((long run, List<HashedPatientKey> keys) in runs)
        {
            HashedPatientKey[] sorted = [.. keys.Distinct().Order()];
            int pageNo = 0;
            foreach (HashedPatientKey[] page in sorted.Chunk(HashedKeyPage.MaxKeys))
            {
                await using SqliteCommand insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO audit_patient_hash_page (run, page_no, first_hash, last_hash, page) VALUES (@run, @no, @first, @last, @page)";
                insert.Parameters.AddWithValue("@run", run);
                insert.Parameters.AddWithValue("@no", ++pageNo);
                insert.Parameters.AddWithValue("@first", page[0].Patient);
                insert.Parameters.AddWithValue("@last", page[^1].Patient);
                insert.Parameters.AddWithValue("@page", bytes.AsSpan(0, HashedKeyPage.Encode(page, bytes)).ToArray());
                await insert.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    /// <summary>Runs SQL as the server would, triggers in place.</summary>
    public async Task ExecuteAsync(string sql)
    {
        if (_sqlitePath is not null)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqlitePath, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var pg = new NpgsqlConnection(_postgres);
        await pg.OpenAsync();
        await using NpgsqlCommand pgCommand = pg.CreateCommand();
        pgCommand.CommandText = sql;
        await pgCommand.ExecuteNonQueryAsync();
    }

    private async Task ReadAsync(string sql, (string Name, object Value)? parameter, Action<System.Data.Common.DbDataReader> read)
    {
        if (_sqlitePath is not null)
        {
            await using SqliteConnection connection = await OpenSqliteAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            if (parameter is { } p)
            {
                command.Parameters.AddWithValue("@" + p.Name, p.Value);
            }

            await using SqliteDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                read(reader);
            }

            return;
        }

        await using var pg = new NpgsqlConnection(_postgres);
        await pg.OpenAsync();
        await using NpgsqlCommand pgCommand = pg.CreateCommand();
        pgCommand.CommandText = sql;
        if (parameter is { } q)
        {
            pgCommand.Parameters.AddWithValue(q.Name, q.Value);
        }

        await using NpgsqlDataReader pgReader = await pgCommand.ExecuteReaderAsync();
        while (await pgReader.ReadAsync())
        {
            read(pgReader);
        }
    }

    private async Task<SqliteConnection> OpenSqliteAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqlitePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>One number from the database (SQLite only), e.g. a table's row count.</summary>
    public async Task<long> SqliteScalarAsync(string sql)
    {
        Assert.NotNull(_sqlitePath);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqlitePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await Checkpointer.DisposeAsync();
        Witness.Dispose();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static (AuditLanes, AuditLogWriter, AuditCheckpointer) Node(RelationalFhirStore store, AuditLogOptions options, AuditSigningKey key, FileAuditWitness witness)
    {
        var lanes = new AuditLanes(options);
        var writer = new AuditLogWriter(store, lanes, options, NullLogger<AuditLogWriter>.Instance);
        var checkpointer = new AuditCheckpointer(store, lanes, writer, key, witness, options, TimeProvider.System, NullLogger<AuditCheckpointer>.Instance);
        return (lanes, writer, checkpointer);
    }

    private static async Task<AuditLogHarness> StartAsync(
        string root, RelationalFhirStore store, int lanes, string? sqlitePath, string? postgres, int checkpointEvery, Action<AuditLogOptions>? configure)
    {
        var options = new AuditLogOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            NodeId = "node-a",
            Lanes = lanes,
            CheckpointInterval = TimeSpan.FromHours(1),
            CheckpointEvery = checkpointEvery,

            // One chain for the journal's reads, so the tamper tests find a record by its sequence; tests of the
            // journal's groups of chains set more.
            JournalChains = 1,
        };
        configure?.Invoke(options);
        var harness = new AuditLogHarness(root, store, options, sqlitePath, postgres);
        await harness.Checkpointer.StartAsync(CancellationToken.None);
        return harness;
    }

    private static string NewRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), "openhip-audit-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(root);
        return root;
    }
}

/// <summary>
/// A patient index key as a test edits it: SQLite's keys hold only the id's hash (<see cref="Patient"/> null when
/// read there), PostgreSQL's the id.
/// </summary>
public readonly record struct IndexKey(string? Patient, long Hash, long Recorded, long Aid)
{
    public IndexKey ForPatient(string patient) => this with { Patient = patient, Hash = HashedPatientKey.Of(patient) };
}
