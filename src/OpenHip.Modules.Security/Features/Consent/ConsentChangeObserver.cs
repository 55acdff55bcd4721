using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>Brings every node's Consent changes into this node's index (within the change feed's poll interval).</summary>
internal sealed class ConsentChangeObserver(ConsentIndex index) : IChangeObserver
{
    public async Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        foreach (OutboxEvent change in events)
        {
            if (change.Type == "Consent")
            {
                await index.RefreshAsync(change.Id, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
