using System.Collections.Concurrent;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Events;

/// <summary>
/// The versions this node is committing whose write hooks have not been told yet. A version is in the outbox from the
/// moment it is durable, a little before the request that committed it runs <see cref="Resources.IResourceWriteHook.OnCommitted"/>:
/// with group commit, a change feed woken by one request reads the whole group while the others still wait their turn
/// on the thread pool. An observer that a hook keeps current (the MPI's Patient index) would then read and apply each
/// such version a second time; <see cref="ChangeFeed"/> waits here instead, which costs far less.
/// </summary>
public sealed class LocalCommits
{
    private readonly ConcurrentDictionary<(string Type, string Id, long VersionId), Task> _pending = new();
    private int _waits;

    /// <summary>How many times a reader has had to wait for hooks (lets tests see that the feed waited).</summary>
    internal int Waits => Volatile.Read(ref _waits);

    /// <summary>Marks the writes as committing here until the returned scope is disposed (after the hooks, or on failure).</summary>
    public IDisposable Begin(IReadOnlyList<ResourceWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (ResourceWrite write in writes)
        {
            _pending[(write.Type, write.Id, write.VersionId)] = told.Task;
        }

        return new Scope(this, writes, told);
    }

    /// <summary>Completes once every event here that this node is still committing has had its hooks run (or failed).</summary>
    public Task SettledAsync(IReadOnlyList<OutboxEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_pending.IsEmpty)
        {
            return Task.CompletedTask;
        }

        HashSet<Task>? waits = null;
        foreach (OutboxEvent e in events)
        {
            if (_pending.TryGetValue((e.Type, e.Id, e.VersionId), out Task? told) && !told.IsCompleted)
            {
                (waits ??= []).Add(told);
            }
        }

        if (waits is null)
        {
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref _waits);
        return Task.WhenAll(waits);
    }

    private void End(IReadOnlyList<ResourceWrite> writes, TaskCompletionSource told)
    {
        foreach (ResourceWrite write in writes)
        {
            // A later commit of the same version (a retry after a conflict) may have marked it again: leave that mark.
            _pending.TryRemove(new KeyValuePair<(string, string, long), Task>((write.Type, write.Id, write.VersionId), told.Task));
        }

        told.TrySetResult();
    }

    /// <summary>Ends the mark of one changeset.</summary>
    private sealed class Scope(LocalCommits owner, IReadOnlyList<ResourceWrite> writes, TaskCompletionSource told) : IDisposable
    {
        public void Dispose() => owner.End(writes, told);
    }
}
