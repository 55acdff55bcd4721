using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Tests.Resources;

/// <summary>
/// A store that records commits (or fails them with <see cref="CommitFailure"/>) and streams <see cref="Current"/>;
/// everything else is outside what the engine tests here use.
/// </summary>
internal sealed class ScriptedFhirStore : IFhirStore
{
    public List<Changeset> Commits { get; } = [];

    public List<StoredResource> Current { get; } = [];

    public Exception? CommitFailure { get; set; }

    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        if (CommitFailure is not null)
        {
            return Task.FromException<IReadOnlyList<long>>(CommitFailure);
        }

        Commits.Add(changeset);
        return Task.FromResult<IReadOnlyList<long>>([.. changeset.Writes.Select((_, i) => (long)(Commits.Count * 1000 + i))]);
    }

    public async IAsyncEnumerable<StoredResource> StreamCurrentAsync(
        string type, DateTimeOffset? since, DateTimeOffset? until, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (StoredResource resource in Current.Where(r => r.Type == type && !r.IsDeleted))
        {
            await Task.Yield();
            yield return resource;
        }
    }

    public Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ReadPatientsOfAsync(IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredResource>> ReadVersionsAsync(IReadOnlyList<VersionKey> versions, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetStateAsync(string key, string? value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken) => throw new NotSupportedException();
}
