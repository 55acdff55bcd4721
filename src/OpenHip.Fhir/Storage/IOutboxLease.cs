namespace OpenHip.Fhir.Storage;

/// <summary>
/// The right to process one consumer's outbox events, held by one node at a time (PostgreSQL: a session advisory lock,
/// released when the node's connection goes, so a dead node's consumers move to another). Disposing releases it.
/// </summary>
public interface IOutboxLease : IAsyncDisposable
{
    string Consumer { get; }

    /// <summary>The consumer's durable position: every event up to it has been handled.</summary>
    OutboxPosition Position { get; }

    /// <summary>Durably records that every event up to <paramref name="position"/> has been handled.</summary>
    Task AdvanceAsync(OutboxPosition position, CancellationToken cancellationToken);
}
