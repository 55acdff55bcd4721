using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Search.Reindexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Terminology;

/// <summary>
/// Keeps the <c>:below</c> closure rows true to the hierarchies. A resource written before its code system was loaded,
/// or before a concept gained or changed a parent, carries rows for the old hierarchy; for each system whose recorded
/// fingerprint differs from the catalog's, this clears the record (searches fall back to the resolved code set at once),
/// rewrites the index of every current resource carrying a code of that system, and records the new fingerprint.
/// </summary>
/// <remarks>
/// Writes made after this node's catalog changed index themselves with the new hierarchy. A write indexed against the
/// old hierarchy just before the change may commit after the pass read its resource, so what was updated since shortly
/// before the pass began is read once more. Not covered: such a write on a node the change feed reached more than that
/// margin later; the next change of that system, or <c>$reindex</c>, repairs it.
/// </remarks>
public sealed partial class TokenClosureMaintainer(
    IFhirStore store,
    ReindexRunner reindexer,
    TimeProvider time,
    ILogger<TokenClosureMaintainer> logger,
    ICodeAncestry? ancestry = null) : IDisposable
{
    /// <summary>How long before a pass a write may have been indexed and still be committing.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Brings every hierarchy's closure rows up to date; returns the systems whose resources were reindexed.</summary>
    public async Task<IReadOnlyList<string>> CatchUpAsync(CancellationToken ct)
    {
        if (ancestry is null)
        {
            return [];
        }

        await _running.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IReadOnlyList<CodeHierarchy> hierarchies = ancestry.All();

            // A system that lost its hierarchy (deleted, or flattened) loses its record, so rows left from before are
            // not trusted if the same hierarchy returns after resources were written without them. The list of
            // recorded systems is durable for that reason: the node that notices may have restarted in between.
            HashSet<string> recorded = await RecordedSystemsAsync(ct).ConfigureAwait(false);
            foreach (string gone in recorded.Where(s => ancestry.Find(s) is null).ToList())
            {
                await store.SetStateAsync(TokenClosure.StateKey(gone), null, ct).ConfigureAwait(false);
                recorded.Remove(gone);
            }

            var stale = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (CodeHierarchy hierarchy in hierarchies)
            {
                recorded.Add(hierarchy.System);
                string? fingerprint = await store.GetStateAsync(TokenClosure.StateKey(hierarchy.System), ct).ConfigureAwait(false);
                if (fingerprint != hierarchy.Fingerprint)
                {
                    stale[hierarchy.System] = hierarchy.Fingerprint;
                    await store.SetStateAsync(TokenClosure.StateKey(hierarchy.System), null, ct).ConfigureAwait(false);
                }
            }

            await store.SetStateAsync(TokenClosure.SystemsStateKey, string.Join('\n', recorded.Order(StringComparer.Ordinal)), ct).ConfigureAwait(false);
            if (stale.Count == 0)
            {
                return [];
            }

            var systems = stale.Keys.ToHashSet(StringComparer.Ordinal);
            DateTimeOffset started = time.GetUtcNow();
            long rewritten = await ReindexAsync(systems, null, ct).ConfigureAwait(false);
            rewritten += await ReindexAsync(systems, started - InFlight, ct).ConfigureAwait(false);
            foreach ((string system, string fingerprint) in stale)
            {
                // A hierarchy that changed again meanwhile keeps falling back until the next pass (the change raised one).
                if (ancestry.Find(system)?.Fingerprint == fingerprint)
                {
                    await store.SetStateAsync(TokenClosure.StateKey(system), fingerprint, ct).ConfigureAwait(false);
                }
            }

            LogCaughtUp(logger, stale.Count, rewritten);
            return [.. stale.Keys];
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();

    private async Task<HashSet<string>> RecordedSystemsAsync(CancellationToken ct)
    {
        string? list = await store.GetStateAsync(TokenClosure.SystemsStateKey, ct).ConfigureAwait(false);
        return new HashSet<string>(list?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [], StringComparer.Ordinal);
    }

    // Every current resource is read: the store has no lookup by code system alone (the token index leads with the
    // parameter and the code). Only those whose JSON holds a system's URL, or a JSON escape that could spell one, are
    // parsed, so the pass costs little more than reading the store.
    private Task<long> ReindexAsync(HashSet<string> systems, DateTimeOffset? since, CancellationToken ct)
    {
        // A URL can be spelt differently in JSON only through the escapes \/ and \uXXXX.
        byte[][] urls = [.. systems.Select(System.Text.Encoding.UTF8.GetBytes), "\\/"u8.ToArray(), "\\u"u8.ToArray()];
        return reindexer.ReindexAsync(
            json => urls.Any(url => json.Span.IndexOf(url) >= 0),
            index => index.Any(e => e is TokenIndexEntry { System: { } system } && systems.Contains(system)),
            since,
            ct);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Closure rows of {Systems} code system hierarchies rebuilt: {Rewritten} resources reindexed")]
    private static partial void LogCaughtUp(ILogger logger, int systems, long rewritten);
}
