namespace OpenHip.Fhir.Events;

/// <summary>
/// Wakes the outbox readers of this node when it commits, so local changes are handled at once; other nodes' commits
/// are found by polling.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Notify"/>, after <paramref name="timeout"/>, or on cancellation — whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Every reader times out about once a second on an idle node: without throwing, so that the exception count
        // operators watch means something.
        await Volatile.Read(ref _next).Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
