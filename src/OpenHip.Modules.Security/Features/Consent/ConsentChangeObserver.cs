using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.Consent;

/// <summary>Brings every node's Consent changes into this node's index (within the change feed's poll interval).</summary>
internal sealed class ConsentChangeObserver(ConsentIndex index) : IChangeObserver
{
    public Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken) =>
        index.RefreshAsync(events.Where(e => e.Type == "Consent"), cancellationToken);
}
