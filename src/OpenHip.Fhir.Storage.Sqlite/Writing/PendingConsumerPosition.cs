namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>A consumer's outbox position, written by the writer so it shares its durability and never contends for the lock.</summary>
internal sealed class PendingConsumerPosition(string consumer, long position, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _completion.Task;

    public override void Apply(WriterStatements statements) => statements.UpsertConsumerPosition(consumer, position);

    public override void Complete()
    {
        if (Failure is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(Failure);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
