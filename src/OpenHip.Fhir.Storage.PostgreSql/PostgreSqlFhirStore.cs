using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.PostgreSql.Outbox;
using OpenHip.Fhir.Storage.PostgreSql.Schema;
using OpenHip.Fhir.Storage.PostgreSql.Writing;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Migrations;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Relational.Writing;

namespace OpenHip.Fhir.Storage.PostgreSql;

/// <summary>
/// The production store: one PostgreSQL database that several OpenHIP nodes may share. Each changeset commits in
/// its own transaction on a pooled connection; nothing that decides an outcome lives in this process's memory
/// (parameter ids are cached only once committed, and are the same on every node).
/// Open it with <see cref="OpenAsync(PostgreSqlStoreOptions, TimeProvider, CancellationToken)"/>, which applies any
/// missing schema migrations; dispose it to close the pool.
/// </summary>
public sealed class PostgreSqlFhirStore : RelationalFhirStore, IBulkLoader
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _leaseSource;
    private readonly ChangesetWriter _writer;
    private readonly IndexReplacer _replacer;
    private readonly BulkCopyLoader _bulk;

    private PostgreSqlFhirStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, TimeProvider timeProvider)
        : this(dataSource, options, timeProvider, new ParameterIds())
    {
    }

    private PostgreSqlFhirStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, TimeProvider timeProvider, ParameterIds parameterIds)
        : base(new PostgreSqlConnections(dataSource), PostgreSqlDialect.Instance, timeProvider, options.StreamBatchSize, parameterIds)
    {
        _dataSource = dataSource;
        _leaseSource = CreateLeaseDataSource(options);
        var statistics = new PlannerStatistics(dataSource);
        _writer = new ChangesetWriter(
            dataSource,
            parameterIds,
            statistics,
            new CreateGuardCheck(new SearchSqlBuilder(PostgreSqlDialect.Instance, timeProvider, parameterIds)),
            options.TransientRetries);
        _replacer = new IndexReplacer(dataSource, parameterIds, options.TransientRetries);
        _bulk = new BulkCopyLoader(dataSource, parameterIds, statistics, options.DeferIndexesOnImport);
    }

    /// <summary>Connects, applies any missing schema migrations and returns the open store.</summary>
    public static async Task<PostgreSqlFhirStore> OpenAsync(
        PostgreSqlStoreOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        NpgsqlDataSource dataSource = CreateDataSource(options);
        try
        {
            await MigrateAsync(dataSource, timeProvider, cancellationToken).ConfigureAwait(false);
            return new PostgreSqlFhirStore(dataSource, options, timeProvider);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Applies the missing schema migrations (<c>openhip db migrate</c>); returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        PostgreSqlStoreOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await using NpgsqlDataSource dataSource = CreateDataSource(options);
        return await MigrateAsync(dataSource, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pool. Unless the connection string says otherwise, statements used again and again (the write path's) are
    /// prepared once per connection (without it PostgreSQL parsed and planned every statement of an ingest anew, most
    /// of its CPU; +15 % ingest), and a connection going back to the pool is not reset: with prepared statements
    /// Npgsql's reset is five statements (RESET ALL, SET SESSION AUTHORIZATION, ...) parsed and run on every rental,
    /// for session state no pooled connection of the store ever changes. An open transaction is still rolled back; the
    /// one session-level lock, the outbox lease's, is taken in a pool of its own (<see cref="CreateLeaseDataSource"/>).
    /// The pool is also capped to the host (<see cref="DefaultMaxPoolSize"/>).
    /// </summary>
    internal static NpgsqlDataSource CreateDataSource(PostgreSqlStoreOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        NpgsqlConnectionStringBuilder settings = builder.ConnectionStringBuilder;

        // Read with the generic parser: NpgsqlConnectionStringBuilder.ContainsKey tells whether Npgsql knows a keyword,
        // not whether this string sets it.
        var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!Sets(given, "MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 64;
        }

        if (!Sets(given, "NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        if (!Sets(given, "MaxPoolSize", "MaximumPoolSize"))
        {
            settings.MaxPoolSize = Math.Max(DefaultMaxPoolSize(Environment.ProcessorCount), settings.MinPoolSize);
        }

        return builder.Build();
    }

    /// <summary>
    /// The store's pool size unless the connection string sets one: four connections per core, at least 8, at most
    /// Npgsql's own default of 100. The engine runs up to 32 entries of a batch at once, and with Npgsql's default every
    /// concurrent entry opened a backend of its own (about 40 at the peak of the ingest benchmark on 2 cores); each
    /// backend parses, plans and caches the prepared statements again and touches shared buffers for the first time,
    /// and more backends than cores only queue for the CPU. Capped at 8 on 2 cores, PostgreSQL spent 15 % less CPU
    /// per ingest (docs/performance.md, issue #5). A cap cannot deadlock the store: no path holds one pooled connection
    /// while opening another (streaming reads release theirs between batches, the planner-statistics refresh runs
    /// apart from the write that starts it, and outbox leases have a pool of their own); a rental beyond the cap waits
    /// for a connection to come back, up to the connection string's Timeout.
    /// </summary>
    internal static int DefaultMaxPoolSize(int processors) => Math.Clamp(4 * processors, 8, 100);

    // Npgsql accepts a keyword with or without its spaces, in any case ("Max Pool Size", "maxpoolsize").
    private static bool Sets(DbConnectionStringBuilder given, params string[] keywords) =>
        given.Keys.Cast<string>().Any(k => keywords.Contains(k.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// A pool of its own for outbox leases, with Npgsql's reset on close: a lease holds a session advisory lock, and a
    /// connection whose unlock never ran (a failure between lock and unlock) must not reach the next renter with it.
    /// </summary>
    internal static NpgsqlDataSource CreateLeaseDataSource(PostgreSqlStoreOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = false;
        return builder.Build();
    }

    private static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // Before the migrations, so that a step never meets a schema missing the indexes an interrupted load dropped.
        await DeferredIndexes.RestoreAsync(dataSource, ConnectionWorkers.EndOfLoad, resumeAutovacuum: true, cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var runner = new MigrationRunner(PostgreSqlDialect.Instance, timeProvider);
        return await runner.ApplyAsync(connection, PostgreSqlMigrations.All, cancellationToken).ConfigureAwait(false);
    }

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
        return _replacer.ReplaceAsync(replacements, cancellationToken);
    }

    public override async Task SetStateAsync(string key, string? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        await using NpgsqlCommand command = _dataSource.CreateCommand(value is null
            ? "DELETE FROM index_state WHERE key = $1"
            : "INSERT INTO index_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key });
        if (value is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ThrowIfDisposed();

        // The no-op update makes RETURNING give the standing row whether it was inserted or already there.
        await using NpgsqlCommand command = _dataSource.CreateCommand(
            "INSERT INTO index_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = index_state.value RETURNING value");
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value });
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public Task<int> LoadAsync(IReadOnlyList<ResourceWrite> creates, string progressKey, string progressValue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        ThrowIfDisposed();
        return _bulk.LoadAsync(creates, progressKey, progressValue, cancellationToken);
    }

    public Task BeginLoadAsync(long bytes, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _bulk.BeginAsync(bytes, cancellationToken);
    }

    public Task EndLoadAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _bulk.EndAsync(cancellationToken);
    }

    /// <summary>One transaction per batch; PostgreSQL groups concurrent commits' WAL flushes itself.</summary>
    public override async Task AppendAsync(IReadOnlyList<Fhir.Audit.AuditRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ThrowIfDisposed();
        if (rows.Count == 0)
        {
            return;
        }

        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Audit.AuditRowsSql.Insert(batch, rows));

        // A single statement is its own transaction.
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task AppendCheckpointAsync(Fhir.Audit.AuditCheckpointRow checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfDisposed();
        await using NpgsqlCommand command = _dataSource.CreateCommand(Audit.AuditRowsSql.InsertCheckpointSql);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = checkpoint.Node });
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = checkpoint.Number });
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = checkpoint.Recorded.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = checkpoint.Body.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = checkpoint.Signature.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        return await PostgreSqlOutboxLease.TryTakeAsync(_leaseSource, consumer, cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        await _leaseSource.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
