using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.BreakGlass;

/// <summary>Brings grants written (or ended) on any node into this node's grant index.</summary>
internal sealed class BreakGlassChangeObserver(BreakGlassGrants grants) : IChangeObserver
{
    public async Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        foreach (OutboxEvent change in events)
        {
            if (change.Type == "Task")
            {
                await grants.RefreshAsync(change.Id, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
