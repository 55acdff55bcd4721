using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// The versions that a page of outbox events announces, read with one <see cref="IFhirStore.ReadVersionsAsync"/>: on
/// PostgreSQL a read per event was a round trip per event, the bulk of an ingest's single-row reads.
/// </summary>
public static class OutboxVersions
{
    private static readonly IReadOnlyDictionary<VersionKey, StoredResource> None = new Dictionary<VersionKey, StoredResource>();

    /// <summary>The stored versions of <paramref name="events"/> by key; an event whose version is not stored has none.</summary>
    public static async Task<IReadOnlyDictionary<VersionKey, StoredResource>> ReadAsync(
        IFhirStore store, IEnumerable<OutboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        VersionKey[] keys = [.. events.Select(e => e.Version).Distinct()];
        if (keys.Length == 0)
        {
            return None;
        }

        IReadOnlyList<StoredResource> stored = await store.ReadVersionsAsync(keys, cancellationToken).ConfigureAwait(false);
        var byKey = new Dictionary<VersionKey, StoredResource>(stored.Count);
        foreach (StoredResource version in stored)
        {
            byKey[version.VersionKey] = version;
        }

        return byKey;
    }

    /// <summary>
    /// For an in-memory view that keeps the newest version it has seen (an index, a catalog): reads the versions of the
    /// events it does not hold yet together and hands each stored one to <paramref name="apply"/> in outbox order.
    /// </summary>
    public static async Task ApplyAsync(
        IFhirStore store, IEnumerable<OutboxEvent> events, Func<OutboxEvent, bool> holds, Action<StoredResource> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holds);
        ArgumentNullException.ThrowIfNull(apply);
        OutboxEvent[] missing = [.. events.Where(e => !holds(e))];
        IReadOnlyDictionary<VersionKey, StoredResource> versions = await ReadAsync(store, missing, cancellationToken).ConfigureAwait(false);
        foreach (OutboxEvent change in missing)
        {
            if (versions.GetValueOrDefault(change.Version) is { } stored)
            {
                apply(stored);
            }
        }
    }
}
