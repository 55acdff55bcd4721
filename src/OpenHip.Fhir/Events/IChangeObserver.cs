using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// Keeps something in this node's memory in step with the database (search parameters, terminology, consent): every
/// node sees every change committed after it started, including its own and other nodes'. Delivery is at least once.
/// </summary>
public interface IChangeObserver
{
    Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken);
}
