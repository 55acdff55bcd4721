namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// One caller's unit of work waiting for the writer loop. Its outcome is decided while the group is applied
/// but only reported once the group's COMMIT has returned, so no caller is answered before its data is durable.
/// </summary>
internal abstract class PendingWrite(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// Never grouped with other writes, so it always commits without a savepoint (why that matters for a bulk batch:
    /// <see cref="GroupCommitWriter"/>'s CommitAlone).
    /// </summary>
    public virtual bool RunsAlone => false;

    /// <summary>Why this write was rolled back to its savepoint; null while it is part of the group's transaction.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Applies the write inside the open transaction; throws to have it rolled back alone.</summary>
    public abstract void Apply(WriterStatements statements);

    /// <summary>Reports the outcome: <see cref="Failure"/> if set, otherwise success.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}
