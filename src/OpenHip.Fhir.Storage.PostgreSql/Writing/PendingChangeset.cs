namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// A caller's changeset waiting for <see cref="GroupCommitWriter"/>. Its outcome is decided while its group is applied
/// but only reported once the group's COMMIT has returned, so no caller is answered before its data is durable.
/// </summary>
internal sealed class PendingChangeset(Changeset changeset, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<IReadOnlyList<long>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Changeset Changeset { get; } = changeset;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<IReadOnlyList<long>> Task => _completion.Task;

    /// <summary>How often PostgreSQL aborted this changeset for a deadlock or serialization failure so far.</summary>
    public int TransientFailures { get; set; }

    /// <summary>The sequence numbers once applied in the open transaction; reported after its COMMIT.</summary>
    public IReadOnlyList<long>? Sequences { get; set; }

    /// <summary>Why it was rolled back to its savepoint; reported after the COMMIT of the rest.</summary>
    public Exception? Failure { get; set; }

    public void Complete()
    {
        if (Failure is null)
        {
            _completion.TrySetResult(Sequences!);
        }
        else
        {
            _completion.TrySetException(Failure);
        }
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
