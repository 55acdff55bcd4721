using System.Runtime.CompilerServices;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// The store as the engine sees it when field encryption is on: writes leave with protected values encrypted and their
/// index codes blinded, reads come back decrypted, search values are blinded on the way in. The engine and the storage
/// providers stay unaware of it; they only ever exchange <see cref="IFhirStore"/> calls.
/// </summary>
internal class ProtectedFhirStore(IFhirStore inner, FieldEncryptionRuntime runtime) : IFhirStore, IAsyncDisposable
{
    protected IFhirStore Inner => inner;

    protected FieldProtection Protection => runtime.Protection;

    public async Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        DataKey key = await Protection.Keys.CurrentForWriteAsync(cancellationToken).ConfigureAwait(false);
        var protectedChangeset = new Changeset([.. changeset.Writes.Select(w => Protection.Protect(w, key))])
        {
            Guards = [.. changeset.Guards.Select(g => g with { Criteria = Protection.Search.Protect(g.Criteria) })],
            AuditRows = changeset.AuditRows,
        };
        return await inner.CommitAsync(protectedChangeset, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken) =>
        await RevealAsync(await inner.ReadCurrentAsync(type, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> ReadPatientsOfAsync(IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken) =>
        inner.ReadPatientsOfAsync(resources, cancellationToken);

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken) =>
        await RevealAsync(await inner.ReadVersionAsync(type, id, versionId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<StoredResource>> ReadVersionsAsync(IReadOnlyList<VersionKey> versions, CancellationToken cancellationToken) =>
        await RevealAllAsync(await inner.ReadVersionsAsync(versions, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        HistoryPage page = await inner.ReadHistoryAsync(query, cancellationToken).ConfigureAwait(false);
        return page with { Entries = await RevealAllAsync(page.Entries, cancellationToken).ConfigureAwait(false) };
    }

    public Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken) =>
        inner.FindByTokensAsync(Protection.Search.Protect(query), cancellationToken);

    public async Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        SearchPage page = await inner.SearchAsync(query with { Filter = Protection.Search.Protect(query.Filter) }, cancellationToken).ConfigureAwait(false);
        return page with { Resources = await RevealAllAsync(page.Resources, cancellationToken).ConfigureAwait(false) };
    }

    public async Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredResource> included = await inner.IncludeAsync(request with { Filter = Protection.Search.Protect(request.Filter) }, cancellationToken).ConfigureAwait(false);
        return await RevealAllAsync(included, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reindexing extracts from decrypted resources: the stored document tells which codes to blind.</summary>
    public async Task<int> ReplaceIndexAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken)
    {
        List<IndexReplacement> protectedReplacements = new(replacements.Count);
        foreach (IndexReplacement replacement in replacements)
        {
            StoredResource? stored = await inner.ReadVersionAsync(replacement.Key.Type, replacement.Key.Id, replacement.VersionId, cancellationToken).ConfigureAwait(false);
            IReadOnlySet<string> plaintexts = stored is null ? new HashSet<string>() : (await Protection.RevealAsync(stored, cancellationToken).ConfigureAwait(false)).Plaintexts;
            protectedReplacements.Add(replacement with { Index = Protection.Index.Protect(replacement.Index, plaintexts) });
        }

        return await inner.ReplaceIndexAsync(protectedReplacements, cancellationToken).ConfigureAwait(false);
    }

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken) => inner.GetStateAsync(key, cancellationToken);

    public Task SetStateAsync(string key, string? value, CancellationToken cancellationToken) => inner.SetStateAsync(key, value, cancellationToken);

    public Task<string> AddStateIfAbsentAsync(string key, string value, CancellationToken cancellationToken) => inner.AddStateIfAbsentAsync(key, value, cancellationToken);

    public async IAsyncEnumerable<StoredResource> StreamCurrentAsync(
        string type, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (StoredResource stored in inner.StreamCurrentAsync(type, since, until, cancellationToken).ConfigureAwait(false))
        {
            yield return (await RevealAsync(stored, cancellationToken).ConfigureAwait(false))!;
        }
    }

    public Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken) =>
        inner.ReadOutboxAsync(after, max, cancellationToken);

    public Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken) => inner.ReadOutboxHeadAsync(cancellationToken);

    public Task<IOutboxLease?> TryLeaseAsync(string consumer, CancellationToken cancellationToken) => inner.TryLeaseAsync(consumer, cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }

    private async ValueTask<StoredResource?> RevealAsync(StoredResource? stored, CancellationToken ct) =>
        stored is null ? null : (await Protection.RevealAsync(stored, ct).ConfigureAwait(false)).Resource;

    private async Task<IReadOnlyList<StoredResource>> RevealAllAsync(IReadOnlyList<StoredResource> resources, CancellationToken ct)
    {
        StoredResource[]? revealed = null;
        for (int i = 0; i < resources.Count; i++)
        {
            StoredResource resource = (await Protection.RevealAsync(resources[i], ct).ConfigureAwait(false)).Resource;
            if (!ReferenceEquals(resource, resources[i]))
            {
                revealed ??= [.. resources];
                revealed[i] = resource;
            }
        }

        return revealed ?? resources;
    }
}
