using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.PostgreSql.Schema;
using OpenHip.Fhir.Storage.PostgreSql.Writing;
using OpenHip.Fhir.Storage.Relational.Migrations;
using OpenHip.Fhir.Storage.Relational.Reading;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.PostgreSql;

/// <summary>
/// The production store: one PostgreSQL database that several OpenHIP nodes may share. Each changeset commits in
/// its own transaction on a pooled connection; nothing that decides an outcome lives in this process's memory
/// (parameter ids are cached only once committed, and are the same on every node).
/// Open it with <see cref="OpenAsync(PostgreSqlStoreOptions, TimeProvider, CancellationToken)"/>, which applies any
/// missing schema migrations; dispose it to close the pool.
/// </summary>
public sealed class PostgreSqlFhirStore : IFhirStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ChangesetWriter _writer;
    private readonly IndexReplacer _replacer;
    private readonly RelationalReader _reader;
    private int _disposed;

    private PostgreSqlFhirStore(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        var parameterIds = new ParameterIds();
        _writer = new ChangesetWriter(dataSource, parameterIds, new PlannerStatistics(dataSource), options.TransientRetries);
        _replacer = new IndexReplacer(dataSource, parameterIds, options.TransientRetries);
        _reader = new RelationalReader(
            new PostgreSqlConnections(dataSource),
            PostgreSqlDialect.Instance,
            new SearchSqlBuilder(PostgreSqlDialect.Instance, timeProvider),
            options.StreamBatchSize);
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
    /// The pool, with two defaults where the connection string does not say otherwise: statements used again and
    /// again (the write path's) are prepared once per connection, and a connection returned to the pool is not reset,
    /// since the store never changes session state (a reset would also drop those prepared statements).
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(PostgreSqlStoreOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        NpgsqlConnectionStringBuilder settings = builder.ConnectionStringBuilder;
        if (!settings.ContainsKey("Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 64;
        }

        if (!settings.ContainsKey("No Reset On Close"))
        {
            settings.NoResetOnClose = true;
        }

        return builder.Build();
    }

    private static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var runner = new MigrationRunner(PostgreSqlDialect.Instance, timeProvider);
        return await runner.ApplyAsync(connection, PostgreSqlMigrations.All, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        ThrowIfDisposed();
        return _writer.CommitAsync(changeset, cancellationToken);
    }

    public Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadCurrentAsync(type, id, cancellationToken);
    }

    public Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadVersionAsync(type, id, versionId, cancellationToken);
    }

    public Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadHistoryAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.FindByTokensAsync(query, cancellationToken);
    }

    public Task<SearchPage> SearchAsync(Search.Expressions.SearchQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.SearchAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.IncludeAsync(request, cancellationToken);
    }

    public Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        ThrowIfDisposed();
        return _replacer.ReplaceAsync(replacements, cancellationToken);
    }

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.GetStateAsync(key, cancellationToken);
    }

    public async Task SetStateAsync(string key, string? value, CancellationToken cancellationToken)
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

    public IAsyncEnumerable<StoredResource> StreamCurrentAsync(string type, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.StreamCurrentAsync(type, since, until, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(long after, int max, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadOutboxAsync(after, max, cancellationToken);
    }

    public Task<long> GetConsumerPositionAsync(string consumer, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.GetConsumerPositionAsync(consumer, cancellationToken);
    }

    public async Task SetConsumerPositionAsync(string consumer, long position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        await using NpgsqlCommand command = _dataSource.CreateCommand(
            "INSERT INTO consumer_position (consumer, position) VALUES ($1, $2) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position");
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = consumer });
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = position });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
