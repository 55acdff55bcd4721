using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// A durable reader of the outbox (MPI linking, surveillance counting, subscriptions): one node at a time handles its
/// events, in outbox order, and its position moves on only after a batch succeeded. A crash or an exception hands the
/// same events over again, so handlers must be idempotent; then each event has its effect exactly once.
/// </summary>
public interface IOutboxConsumer
{
    /// <summary>Stable name under which the position is stored; renaming it starts the consumer from the beginning.</summary>
    string Name { get; }

    Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken);
}
