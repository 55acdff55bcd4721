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

            StoredResource? version = await store.ReadVersionAsync(Type, change.Id, change.VersionId, cancellationToken).ConfigureAwait(false);
            if (version is { IsDeleted: false } && FhirCodec.ParseStored(version.Json.Span) is SearchParameter parameter)
            {
                registry.Activate([parameter]);
            }
        }
    }
}
