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
        IReadOnlyList<ResourceWrite> writes = changeset.Writes;
        var sequences = new long[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            sequences[i] = ApplyWrite(statements, writes[i]);
        }

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

    private static long ApplyWrite(WriterStatements statements, ResourceWrite write)
    {
        long actual = statements.ReadCurrentVersion(write.Type, write.Id);
        if (actual != write.ExpectedCurrentVersion)
        {
            throw new VersionConflictException(write.Key, write.ExpectedCurrentVersion, actual);
        }

        long seq = statements.InsertVersion(write);
        statements.UpsertCurrent(write, seq);

        if (actual != 0)
        {
            statements.DeleteIndex(write.Type, write.Id);
        }

        // A deleted resource keeps no index rows, which is what keeps it out of every search.
        if (!write.IsDelete)
        {
            foreach (IndexEntry entry in write.Index)
            {
                // Other entry types get their tables with the search work; until then they are not stored. Text-only
                // tokens (CodeableConcept.text without a code) have no code for this table either.
                if (entry is TokenIndexEntry { Code: not null } token)
                {
                    statements.InsertToken(write.Type, write.Id, token);
                }
            }

            foreach (string patientId in write.Compartments)
            {
                statements.InsertCompartment(write.Type, write.Id, patientId);
            }
        }

        statements.InsertOutbox(write, seq);
        return seq;
    }
}
