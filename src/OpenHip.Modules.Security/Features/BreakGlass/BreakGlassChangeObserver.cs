using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>Brings grants written (or ended) on any node into this node's grant index.</summary>
internal sealed class BreakGlassChangeObserver(BreakGlassGrants grants) : IChangeObserver
{
    public Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken) =>
        grants.RefreshAsync(events.Where(e => e.Type == "Task"), cancellationToken);
}
