using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Relational.Migrations;
using OpenHip.Fhir.Storage.Sqlite.Outbox;
using OpenHip.Fhir.Storage.Sqlite.Schema;
using OpenHip.Fhir.Storage.Sqlite.Writing;

namespace OpenHip.Fhir.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, and beside it the audit log's own file
/// (<see cref="SqliteStoreOptions.AuditDatabasePath"/>). All writes go through one group-committing writer connection;
/// reads use pooled connections that run beside it.
/// Open it with <see cref="OpenAsync(SqliteStoreOptions, CancellationToken)"/>; dispose it to flush and close.
/// </summary>
public sealed class SqliteFhirStore : RelationalFhirStore, IBulkLoader
{
    // Below this a batch of audit rows is small enough that sharing the group's fsync is worth its savepoint.
    private const int AloneAuditRows = 64;

    private readonly SqliteConnectionFactory _connections;
    private readonly GroupCommitWriter _writer;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _leases = new(StringComparer.Ordinal);
    private readonly TimeSpan _optimizeInterval;
    private Timer? _optimizer;

    private SqliteFhirStore(SqliteConnectionFactory connections, GroupCommitWriter writer, SqliteStoreOptions options, TimeProvider timeProvider)
        : base(connections, SqliteDialect.Instance, timeProvider, options.StreamBatchSize, audit: new SplitAuditLog(
            new AuditLogReader(connections, SqliteDialect.Instance, options.StreamBatchSize, SqliteMigrations.AuditPatientKeys, patientPages: true),
            new AuditLogReader(connections.AuditReaders, SqliteDialect.Instance, options.StreamBatchSize, SqliteMigrations.AuditPatientKeys, patientPages: true),
            SqliteAuditFileMigrations.FirstId))
    {
        _connections = connections;
        _writer = writer;
        _optimizeInterval = options.OptimizeInterval;
    }

    /// <summary>Opens (creating if needed) the database file and applies any missing schema migrations.</summary>
    public static Task<SqliteFhirStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(options, TimeProvider.System, cancellationToken);

    /// <param name="timeProvider">Clock for the <c>schema_migrations.applied_at</c> column.</param>
    public static async Task<SqliteFhirStore> OpenAsync(
        SqliteStoreOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        SqliteFhirStore store = await OpenHeldAsync(options, timeProvider, cancellationToken).ConfigureAwait(false);
        store.StartWriter();
        return store;
    }

    /// <summary>Opens the store with its writer not yet running (see <see cref="StartWriter"/>); for tests.</summary>
    internal static async Task<SqliteFhirStore> OpenHeldAsync(
        SqliteStoreOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        // Zero setup: a fresh install points at a path whose folder may not exist yet.
        string? directory = Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connections = new SqliteConnectionFactory(options);
        SqliteConnection writerConnection = connections.OpenWriter();
        WalCheckpointer? checkpointer = null;
        try
        {
            var runner = new MigrationRunner(SqliteDialect.Instance, timeProvider);
            await runner.ApplyAsync(writerConnection, SqliteMigrations.All, cancellationToken).ConfigureAwait(false);
            SqliteConnection auditFile = connections.OpenAuditFile();
            await using (auditFile.ConfigureAwait(false))
            {
                await runner.ApplyAsync(auditFile, SqliteAuditFileMigrations.All, cancellationToken).ConfigureAwait(false);
            }

            connections.AttachAuditFile(writerConnection);

            // The writer prepares its statements against the migrated schema, so it is built only now.
            checkpointer = new WalCheckpointer(connections.OpenCheckpointer());
            var writer = new GroupCommitWriter(writerConnection, checkpointer, options);
            return new SqliteFhirStore(connections, writer, options, timeProvider);
        }
        catch
        {
            if (checkpointer is not null)
            {
                await checkpointer.DisposeAsync().ConfigureAwait(false);
            }

            await writerConnection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal GroupCommitWriter Writer => _writer;

    internal Reading.SqliteReaderPool Readers => _connections.Readers;

    internal void StartWriter()
    {
        // Planner statistics: without them SQLite drives a search from whichever index term comes first, which at a
        // million resources is the difference between milliseconds and seconds. The first pass (0x10002: every table
        // lacking statistics or grown since) can take a while on a large store, so it runs in the writer's queue
        // instead of holding up start-up; reads go on meanwhile. Queued before the loop starts, it joins the first
        // group instead of racing it for a transaction of its own.
        _ = _writer.RunAsync(statements => statements.Optimize(firstPass: true), CancellationToken.None);
        _writer.Start();
        _optimizer = new Timer(_ => _ = OptimizeAsync(), null, _optimizeInterval, _optimizeInterval);
    }

    /// <summary>Refreshes planner statistics of tables that changed enough since the last time (cheap when none did).</summary>
    internal Task OptimizeAsync() =>
        IsDisposed ? Task.CompletedTask : _writer.RunAsync(statements => statements.Optimize(firstPass: false), CancellationToken.None);

    public override Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        ThrowIfDisposed();
        return _writer.CommitAsync(changeset, cancellationToken);
    }

    public override Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        ThrowIfDisposed();
        return _writer.RunAsync(statements => replacements.Count(statements.ReplaceIndex), cancellationToken);
    }

    public override Task SetStateAsync(string key, string? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return _writer.RunAsync(statements =>
        {
            statements.SetState(key, value);
            return true;
        }, cancellationToken);
    }

    public override Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ThrowIfDisposed();
        return _writer.RunAsync(statements => statements.AddStateIfAbsent(key, value), cancellationToken);
    }

    /// <summary>
    /// A few audit rows join the writer's next group commit: one fsync serves them and whatever else is queued. A journal
    /// move (hundreds or thousands of rows) commits alone: each of its rows puts a patient key on a random index page, and
    /// inside a group's savepoint SQLite would copy every one of those pages into its sub-journal first.
    /// </summary>
    public override Task AppendAsync(IReadOnlyList<Fhir.Audit.AuditRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ThrowIfDisposed();
        return _writer.RunAsync(
            statements =>
            {
                statements.InsertAuditApart(rows);
                return true;
            },
            alone: rows.Count >= AloneAuditRows,
            cancellationToken);
    }

    public override Task AppendCheckpointAsync(Fhir.Audit.AuditCheckpointRow checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfDisposed();
        return _writer.RunAsync(
            statements =>
            {
                statements.InsertCheckpoint(checkpoint);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// SQLite's bulk path is its writer: each batch in a transaction of its own, without the savepoint every other write
    /// gets (<see cref="PendingWrite.RunsAlone"/>), together with its progress.
    /// </summary>
    public Task<int> LoadAsync(IReadOnlyList<ResourceWrite> creates, string progressKey, string progressValue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        ThrowIfDisposed();
        return _writer.RunAsync(
            statements =>
            {
                int written = 0;
                foreach (ResourceWrite create in creates)
                {
                    if (statements.ReadCurrentVersion(create.Type, create.Id) == 0)
                    {
                        PendingChangeset.ApplyWrite(statements, create);
                        written++;
                    }
                }

                statements.SetState(progressKey, progressValue);
                return written;
            },
            alone: true,
            cancellationToken);
    }

    /// <summary>Nothing to prepare: the SQLite store keeps its indexes through a load (deferring them is not measured there).</summary>
    public Task BeginLoadAsync(long bytes, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.CompletedTask;
    }

    public Task EndLoadAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Task.CompletedTask;
    }

    public override async Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        SemaphoreSlim held = _leases.GetOrAdd(consumer, _ => new SemaphoreSlim(1, 1));
        if (!await held.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            OutboxPosition position = await ReadConsumerPositionAsync(consumer, cancellationToken).ConfigureAwait(false);
            return new SqliteOutboxLease(consumer, position, held, _writer.SetConsumerPositionAsync);
        }
        catch
        {
            held.Release();
            throw;
        }
    }

    /// <summary>Commits what is already queued, then releases the file (readers first, so the writer's close checkpoints the WAL).</summary>
    protected override async ValueTask DisposeCoreAsync()
    {
        if (_optimizer is not null)
        {
            await _optimizer.DisposeAsync().ConfigureAwait(false);
        }

        _connections.ClearReaderPool();
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
