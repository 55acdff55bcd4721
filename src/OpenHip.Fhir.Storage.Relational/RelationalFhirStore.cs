using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Relational.Reading;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Relational;

/// <summary>
/// The part of the store contract every relational store answers the same way: all reads go through one
/// <see cref="RelationalReader"/> over the shared schema, and so do the audit log's reads. A store adds how it writes
/// and how it closes.
/// </summary>
public abstract class RelationalFhirStore : IFhirStore, IAuditLog, IAsyncDisposable
{
    private readonly RelationalReader _reader;
    private readonly IAuditLogReads _audit;
    private int _disposed;

    /// <param name="connections">The store's read connections and snapshots.</param>
    /// <param name="dialect">The store's SQL dialect, for its reads and the shared search SQL.</param>
    /// <param name="time">Clock for search values relative to now (<c>ap</c>).</param>
    /// <param name="streamBatchSize">Rows per round trip of <see cref="StreamCurrentAsync"/>.</param>
    /// <param name="knownIds">search_param ids the conditional lookups may bind instead of looking up, if the store keeps any.</param>
    /// <param name="audit">The audit log's reads, when the store keeps its audit tables elsewhere than its data's connections reach.</param>
    protected RelationalFhirStore(
        IReaderConnections connections, ISqlDialect dialect, TimeProvider time, int streamBatchSize, IKnownParameterIds? knownIds = null, IAuditLogReads? audit = null)
    {
        _reader = new RelationalReader(connections, dialect, new SearchSqlBuilder(dialect, time, knownIds), streamBatchSize);
        _audit = audit ?? new AuditLogReader(connections, dialect, streamBatchSize);
    }

    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public abstract Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken);

    public abstract Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken);

    public abstract Task SetStateAsync(string key, string? value, CancellationToken cancellationToken);

    public abstract Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken);

    public abstract Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken);

    public abstract Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken);

    public abstract Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken);

    public Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.ReadAuditAsync(id, cancellationToken);
    }

    public Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.SearchAuditAsync(query, cancellationToken);
    }

    public IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.StreamChainAsync(chainId, cancellationToken);
    }

    public Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.ReadPatientEntriesAsync(keys, cancellationToken);
    }

    public Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.CountPatientEntriesAsync(cancellationToken);
    }

    public Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.ListChainsAsync(cancellationToken);
    }

    public Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _audit.ReadCheckpointsAsync(node, cancellationToken);
    }

    public Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadCurrentAsync(type, id, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ReadPatientsOfAsync(IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadPatientsOfAsync(resources, cancellationToken);
    }

    public Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadVersionAsync(type, id, versionId, cancellationToken);
    }

    public Task<IReadOnlyList<StoredResource>> ReadVersionsAsync(IReadOnlyList<VersionKey> versions, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadVersionsAsync(versions, cancellationToken);
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

    public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.SearchAsync(query, cancellationToken);
    }

    public Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.IncludeAsync(request, cancellationToken);
    }

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.GetStateAsync(key, cancellationToken);
    }

    public IAsyncEnumerable<StoredResource> StreamCurrentAsync(string type, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.StreamCurrentAsync(type, since, until, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadOutboxAsync(after, max, cancellationToken);
    }

    public Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _reader.ReadOutboxHeadAsync(cancellationToken);
    }

    /// <summary>The consumer's durable position, for the store's lease.</summary>
    protected Task<OutboxPosition> ReadConsumerPositionAsync(string consumer, CancellationToken cancellationToken) =>
        _reader.ReadConsumerPositionAsync(consumer, cancellationToken);

    /// <summary>Closes the store once; later calls do nothing, and every other member then throws <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store's connections (called once, by <see cref="DisposeAsync"/>).</summary>
    protected abstract ValueTask DisposeCoreAsync();

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
