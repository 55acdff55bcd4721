namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>Maintenance work (reindexing, store settings) run by the writer loop, so it never contends for the write lock.</summary>
internal sealed class PendingAction<T>(Func<WriterStatements, T> action, bool alone, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    public override bool RunsAlone => alone;

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Apply(WriterStatements statements) => _result = action(statements);

    public override void Complete()
    {
        if (Failure is null)
        {
            _completion.TrySetResult(_result!);
        }
        else
        {
            _completion.TrySetException(Failure);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
