namespace OpenHip.Fhir.Storage.Sqlite.Writing;

internal sealed class PendingChangeset(Changeset changeset, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    private readonly TaskCompletionSource<IReadOnlyList<long>> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long[] _sequences = [];

    public Task<IReadOnlyList<long>> Task => _completion.Task;

    /// <summary>
    /// Writes are applied one after another, so a later write to the same resource sees the earlier one
    /// (its expected version is the version the earlier write just created).
    /// </summary>
    public override void Apply(WriterStatements statements)
    {
        foreach (CreateGuard guard in changeset.Guards)
        {
            statements.Enforce(guard);
        }

        IReadOnlyList<ResourceWrite> writes = changeset.Writes;
        var sequences = new long[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            sequences[i] = ApplyWrite(statements, writes[i]);
        }

        // In the changeset's savepoint: a changeset that fails leaves no audit row either.
        statements.InsertAudit(changeset.AuditRows);
        _sequences = sequences;
    }

    public override void Complete()
    {
        if (Failure is null)
        {
            _completion.TrySetResult(_sequences);
        }
        else
        {
            _completion.TrySetException(Failure);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    internal static long ApplyWrite(WriterStatements statements, ResourceWrite write)
    {
        long actual = statements.ReadCurrentVersion(write.Type, write.Id);
        if (actual != write.ExpectedCurrentVersion)
        {
            throw new VersionConflictException(write.Key, write.ExpectedCurrentVersion, actual);
        }

        long seq = statements.InsertVersion(write);
        long rid = statements.UpsertCurrent(write, seq);

        if (actual != 0)
        {
            statements.Index.Delete(rid);
            statements.DeleteCompartments(write.Type, write.Id);
        }

        // A deleted resource keeps no index rows, which is what keeps it out of every search.
        if (!write.IsDelete)
        {
            statements.Index.Insert(write.Type, rid, write.Index);
            foreach (string patientId in write.Compartments)
            {
                statements.InsertCompartment(write.Type, write.Id, patientId);
            }
        }

        statements.InsertOutbox(write, seq);
        return seq;
    }
}
