namespace OpenHip.Fhir.Storage;

/// <summary>
/// What a storage provider implements. Providers get JSON bytes and index entries, never Firely types,
/// so SQLite and PostgreSQL share one contract and one conformance suite.
/// </summary>
public interface IFhirStore
{
    /// <summary>
    /// Appends every write of the changeset atomically and durably: when the task completes, the data survives
    /// a crash. Throws <see cref="VersionConflictException"/> (nothing written) when a version precondition fails.
    /// Returns the global sequence numbers assigned, in write order.
    /// </summary>
    Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken);

    Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken);

    Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken);

    /// <summary>
    /// The stored versions among <paramref name="versions"/>, each once and in no particular order; a key with no such
    /// version is left out. One round trip where the store has them, so an outbox reader reads a page's versions
    /// together rather than one by one.
    /// </summary>
    Task<IReadOnlyList<StoredResource>> ReadVersionsAsync(IReadOnlyList<VersionKey> versions, CancellationToken cancellationToken);

    Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>The patients whose compartments the current versions of these resources are in, each once (for the audit log's per-patient events).</summary>
    Task<IReadOnlyList<string>> ReadPatientsOfAsync(IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken);

    /// <summary>Ids of current, non-deleted resources matching the query, at most <see cref="TokenQuery.Limit"/>.</summary>
    Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken);

    /// <summary>One page of current, non-deleted resources matching the query, in the query's order.</summary>
    /// <exception cref="Errors.FhirException">A cursor that this store did not issue (400).</exception>
    Task<SearchPage> SearchAsync(Search.Expressions.SearchQuery query, CancellationToken cancellationToken);

    /// <summary>Resources reached by one <c>_include</c> / <c>_revinclude</c> step, current and non-deleted, without duplicates.</summary>
    Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken);

    /// <summary>Rewrites the index rows of current resources in one transaction (reindexing); returns how many were still current.</summary>
    Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken);

    /// <summary>A small durable setting of the store (e.g. "reindex-required"); null when unset.</summary>
    Task<string?> GetStateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sets (or with null removes) a durable setting.</summary>
    Task SetStateAsync(string key, string? value, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a durable setting only if it has none, atomically (two nodes creating a key at once: one wins); returns the
    /// value that stands, this one or the one already there.
    /// </summary>
    Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>Streams current, non-deleted resources of a type whose lastUpdated is in [since, until), oldest first, without loading them all.</summary>
    IAsyncEnumerable<StoredResource> StreamCurrentAsync(string type, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken);

    /// <summary>
    /// Outbox events after a position (exclusive), in outbox order. Only events no later commit can precede are
    /// returned, so a reader that continues from the last one it got never misses an event.
    /// </summary>
    Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken);

    /// <summary>The position of the newest event <see cref="ReadOutboxAsync"/> would return now (Start when none).</summary>
    Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken);

    /// <summary>Takes the consumer's lease, or returns null when another node holds it.</summary>
    Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken);
}
