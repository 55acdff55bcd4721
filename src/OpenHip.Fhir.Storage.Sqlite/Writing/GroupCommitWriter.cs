using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Faults;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// The store's only writer. An fsync costs milliseconds, so one commit per request would cap throughput at a
/// few hundred writes a second. Instead callers queue their work and one loop commits everything queued so far
/// in a single transaction (one fsync), each caller's work inside its own savepoint so that a failing
/// changeset is undone alone. Callers are answered only after the COMMIT has returned.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly WriterStatements _statements;
    private readonly int _maxGroupSize;
    private readonly Channel<PendingWrite> _queue =
        Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly WalCheckpointer _checkpointer;
    private Task? _loop;
    private int _started;
    private int _disposed;
    private long _transactionCount;

    /// <param name="connection">An open writer connection with the schema in place; the writer owns it from now on.</param>
    /// <param name="checkpointer">Told what each commit wrote to the WAL; the writer owns it from now on.</param>
    public GroupCommitWriter(SqliteConnection connection, WalCheckpointer checkpointer, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _checkpointer = checkpointer;
        _statements = new WriterStatements(connection, options.AuditPatientRunsPerLevel);
        _maxGroupSize = options.MaxChangesetsPerGroupCommit;
    }

    /// <summary>Checkpoints the WAL checkpointer has run; lets tests see the work moved off the writer.</summary>
    internal long Checkpoints => _checkpointer.Checkpoints;

    /// <summary>Transactions begun so far; lets tests see how writes were grouped.</summary>
    internal long TransactionCount => Interlocked.Read(ref _transactionCount);

    /// <summary>
    /// Starts the loop. Separate from construction so tests can queue several writes first and observe them
    /// committed as one group, without relying on timing.
    /// </summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _started, 1, 0) == 0)
        {
            _loop = Task.Run(RunAsync);
        }
    }

    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<long>>(cancellationToken);
        }

        var pending = new PendingChangeset(changeset, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    public Task SetConsumerPositionAsync(string consumer, long position, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var pending = new PendingConsumerPosition(consumer, position, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    public Task<T> RunAsync<T>(Func<WriterStatements, T> action, CancellationToken cancellationToken) =>
        RunAsync(action, alone: false, cancellationToken);

    /// <param name="alone">Commit it in a transaction of its own (see <see cref="PendingWrite.RunsAlone"/>).</param>
    public Task<T> RunAsync<T>(Func<WriterStatements, T> action, bool alone, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var pending = new PendingAction<T>(action, alone, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    /// <summary>Stops taking work, commits everything already queued, then closes the writer connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();

        // A writer that was never started still owes its queued callers their commits.
        Start();
        await _loop!.ConfigureAwait(false);
        _statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);

        // Closed last, its connection checkpoints what the writer's close could not and removes the WAL.
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
    }

    private void Enqueue(PendingWrite pending)
    {
        // The channel only refuses work once the store is being disposed.
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), typeof(SqliteFhirStore));
    }

    private async Task RunAsync()
    {
        ChannelReader<PendingWrite> reader = _queue.Reader;
        var group = new List<PendingWrite>(_maxGroupSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < _maxGroupSize && !EndsGroup(group, reader) && reader.TryRead(out PendingWrite? pending))
            {
                // Not applied yet, so cancelling it is still honest.
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    group.Add(pending);
                }
            }

            try
            {
                List<PendingWrite> remaining = group;
                while (remaining.Count > 0)
                {
                    remaining = CommitOnce(remaining);
                }
            }
#pragma warning disable CA1031 // The loop must outlive any failure, or every later caller would wait forever.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // Leave the connection out of any transaction, or every later BEGIN would fail too.
                RollbackQuietly();
                FailAll(group, exception);
            }
        }
    }

    // A write that runs alone gets a group of its own: nothing joins it and it joins nothing.
    private static bool EndsGroup(List<PendingWrite> group, ChannelReader<PendingWrite> reader) =>
        group.Count > 0 && (group[0].RunsAlone || (reader.TryPeek(out PendingWrite? next) && next.RunsAlone));

    /// <summary>
    /// Runs one transaction over the writes and reports their outcomes. Returns the writes to try again in a
    /// fresh transaction when SQLite abandoned this one part-way (the write that hit that is failed alone).
    /// </summary>
    private List<PendingWrite> CommitOnce(List<PendingWrite> writes)
    {
        Interlocked.Increment(ref _transactionCount);
        try
        {
            _statements.Begin();
        }
#pragma warning disable CA1031 // Any failure here is reported to every caller of the group.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            FailAll(writes, exception);
            return [];
        }

        if (writes.Count == 1)
        {
            return CommitAlone(writes[0]);
        }

        for (int i = 0; i < writes.Count; i++)
        {
            PendingWrite write = writes[i];
            write.Failure = null;
            try
            {
                _statements.Savepoint();
                write.Apply(_statements);
                _statements.ReleaseSavepoint();
            }
#pragma warning disable CA1031 // The failure belongs to this caller; it is handed to them, not swallowed.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                if (TryRollbackToSavepoint())
                {
                    write.Failure = exception;
                    continue;
                }

                RollbackQuietly();
                write.Fail(exception);
                int failed = i;
                return [.. writes.Where((_, index) => index != failed)];
            }
        }

        FaultInjection.Hit(FaultPoints.InsideTransaction);
        try
        {
            Commit();
        }
#pragma warning disable CA1031 // A failed COMMIT is reported to every caller of the group.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            RollbackQuietly();
            foreach (PendingWrite write in writes)
            {
                write.Fail(write.Failure ?? exception);
            }

            return [];
        }

        foreach (PendingWrite write in writes)
        {
            write.Complete();
        }

        return [];
    }

    /// <summary>
    /// A write alone in its transaction (a bulk batch always is, see <see cref="PendingWrite.RunsAlone"/>) needs no
    /// savepoint: when it fails the whole transaction is rolled back. Inside a savepoint every statement's own
    /// sub-savepoint truncates the sub-journal back to where the statement began, walking it from its start, so a
    /// changeset of many statements (a linking batch, a transaction Bundle) paid time quadratic in its size there.
    /// </summary>
    private List<PendingWrite> CommitAlone(PendingWrite write)
    {
        write.Failure = null;
        try
        {
            write.Apply(_statements);
            FaultInjection.Hit(FaultPoints.InsideTransaction);
            Commit();
        }
#pragma warning disable CA1031 // The failure belongs to this caller; it is handed to them, not swallowed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            RollbackQuietly();
            write.Fail(exception);
            return [];
        }

        write.Complete();
        return [];
    }

    private void Commit()
    {
        _statements.Commit();
        _checkpointer.Written(_statements.TakeWalPagesWritten());
    }

    private bool TryRollbackToSavepoint()
    {
        if (!_statements.InTransaction)
        {
            return false;
        }

        try
        {
            _statements.RollbackToSavepoint();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private void RollbackQuietly()
    {
        if (!_statements.InTransaction)
        {
            return;
        }

        try
        {
            _statements.Rollback();
        }
        catch (SqliteException)
        {
            // The transaction is unusable either way; the next BEGIN reports a connection that is truly broken.
        }
    }

    private static void FailAll(List<PendingWrite> writes, Exception exception)
    {
        foreach (PendingWrite write in writes)
        {
            write.Fail(exception);
        }
    }
}
