using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>
/// Keeps the catalog in step with the store. At start-up it compiles every stored CodeSystem, ValueSet and ConceptMap;
/// afterwards the engine's change feed tells it of every terminology version committed by any node over the same
/// database (this node's own arrive again after the write hook applied them, and the catalog ignores them by version).
/// The feed's start position is taken before this load, so nothing committed meanwhile is missed.
/// </summary>
internal sealed partial class TerminologySync(IFhirStore store, TerminologyCatalog catalog, ILogger<TerminologySync> logger) : IChangeObserver
{
    private static readonly string[] Types = [TerminologyTypes.CodeSystem, TerminologyTypes.ValueSet, TerminologyTypes.ConceptMap];

    /// <summary>Compiles every current terminology resource of the store.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (string type in Types)
        {
            await foreach (StoredResource resource in store.StreamCurrentAsync(type, null, null, cancellationToken).ConfigureAwait(false))
            {
                count += catalog.Apply(resource.Type, resource.Id, resource.VersionId, resource.Json) ? 1 : 0;
            }
        }

        LogLoaded(logger, count);
    }

    /// <summary>Takes in the terminology versions among committed changes (outbox order keeps each resource's versions in order).</summary>
    public async Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        // A version the catalog holds already (this node's own writes, applied by the write hook: at a first start, the
        // whole shipped content) would be ignored once read, so it is not read.
        IReadOnlyDictionary<VersionKey, StoredResource> versions = await OutboxVersions.ReadAsync(
            store,
            events.Where(e => IsTerminology(e) && e.Method != WriteMethod.Delete && !catalog.Holds(e.Type, e.Id, e.VersionId)),
            cancellationToken).ConfigureAwait(false);
        foreach (OutboxEvent change in events)
        {
            if (!IsTerminology(change))
            {
                continue;
            }

            if (change.Method == WriteMethod.Delete)
            {
                catalog.Apply(change.Type, change.Id, change.VersionId, ReadOnlyMemory<byte>.Empty);
                continue;
            }

            if (versions.GetValueOrDefault(change.Version) is { IsDeleted: false } version)
            {
                catalog.Apply(version.Type, version.Id, version.VersionId, version.Json);
            }
        }
    }

    private static bool IsTerminology(OutboxEvent change) => Types.Contains(change.Type, StringComparer.Ordinal);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "{Count} stored terminology resources compiled")]
    private static partial void LogLoaded(ILogger logger, int count);
}
