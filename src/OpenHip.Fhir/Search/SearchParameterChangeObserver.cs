using Hl7.Fhir.Model;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Brings SearchParameter changes committed by other nodes into this node's registry (its own are applied by
/// <see cref="SearchParameterWriteHook"/> at commit). The registry ignores versions it already has, so seeing a
/// change twice is harmless.
/// </summary>
internal sealed class SearchParameterChangeObserver(IFhirStore store, SearchParameterRegistry registry) : IChangeObserver
{
    private const string Type = "SearchParameter";

    public async Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<VersionKey, StoredResource> versions = await OutboxVersions.ReadAsync(
            store, events.Where(e => e.Type == Type && e.Method != WriteMethod.Delete), cancellationToken).ConfigureAwait(false);
        foreach (OutboxEvent change in events)
        {
            if (change.Type != Type)
            {
                continue;
            }

            if (change.Method == WriteMethod.Delete)
            {
                registry.Retire(change.Id, change.VersionId);
                continue;
            }

            if (versions.GetValueOrDefault(change.Version) is { IsDeleted: false } version && FhirCodec.ParseStored(version.Json.Span) is SearchParameter parameter)
            {
                registry.Activate([parameter]);
            }
        }
    }
}
