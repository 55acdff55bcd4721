using OpenHip.Fhir.Events;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Mpi.Features.MatchPatient;

/// <summary>Brings every node's Patient changes into this node's index from the outbox.</summary>
internal sealed class PatientIndexObserver(PatientIndex index) : IChangeObserver
{
    public Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken) =>
        index.IsLoaded ? index.ApplyAsync(events, cancellationToken) : Task.CompletedTask;
}
