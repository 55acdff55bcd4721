namespace OpenHip.Fhir.Storage.Sqlite.Outbox;

/// <summary>
/// One process owns a SQLite file, so a consumer's lease is an in-process lock; the position is written by the
/// group-commit writer and shares its durability.
/// </summary>
internal sealed class SqliteOutboxLease(string consumer, OutboxPosition position, SemaphoreSlim held, Func<string, long, CancellationToken, Task> store)
    : IOutboxLease
{
    private int _released;

    public string Consumer => consumer;

    public OutboxPosition Position { get; private set; } = position;

    public async Task AdvanceAsync(OutboxPosition to, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        await store(consumer, to.Sequence, cancellationToken).ConfigureAwait(false);
        Position = to;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            held.Release();
        }

        return ValueTask.CompletedTask;
    }
}
