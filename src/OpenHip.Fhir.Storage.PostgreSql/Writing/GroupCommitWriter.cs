using System.Threading.Channels;
using Npgsql;
using OpenHip.Fhir.Faults;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Commits the changesets of concurrent callers together. A commit waits for an fsync and each transaction costs
/// its BEGIN/COMMIT round trips and a server process's time on the same few cores, so one transaction per changeset
/// capped a batch Bundle's conditional creates at about half of SQLite's rate. Callers queue their changesets;
/// each of a few loops takes everything queued so far and applies it in one transaction on its connection, each changeset under
/// its own savepoint so that a failing one (version conflict, guard match, deadlock) is undone alone; callers are
/// answered only after the COMMIT has returned. Inside the group the changesets run one after another, so a later
/// one sees an earlier one's writes exactly as if it had committed first: version checks and conditional-create
/// guards decide as they would one transaction at a time. Between groups (other loops, other nodes) row locks and
/// guard locks are held until a group commits; a deadlock this causes aborts one changeset, which goes into the next
/// group. Several loops keep round trips overlapping: one loop alone waits on every statement in turn.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ChangesetWriter _writer;
    private readonly ParameterIds _parameterIds;
    private readonly PlannerStatistics _statistics;
    private readonly int _transientRetries;
    private readonly int _maxGroupSize;
    private readonly Channel<PendingChangeset> _queue =
        Channel.CreateUnbounded<PendingChangeset>(new UnboundedChannelOptions { SingleReader = false });

    private readonly Task[] _loops;
    private long _transactionCount;

    public GroupCommitWriter(
        NpgsqlDataSource dataSource, ChangesetWriter writer, ParameterIds parameterIds, PlannerStatistics statistics, int transientRetries, int maxGroupSize, int writers)
    {
        _dataSource = dataSource;
        _writer = writer;
        _parameterIds = parameterIds;
        _statistics = statistics;
        _transientRetries = transientRetries;
        _maxGroupSize = maxGroupSize;
        _loops = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Transactions begun so far; lets tests see how changesets were grouped.</summary>
    internal long TransactionCount => Interlocked.Read(ref _transactionCount);

    public Task<IReadOnlyList<long>> CommitAsync(Changeset changeset, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<long>>(cancellationToken);
        }

        var pending = new PendingChangeset(changeset, cancellationToken);

        // The channel only refuses work once the store is being disposed.
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), typeof(PostgreSqlFhirStore));
        return pending.Task;
    }

    /// <summary>Stops taking work and commits everything already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        ChannelReader<PendingChangeset> reader = _queue.Reader;
        var group = new List<PendingChangeset>(_maxGroupSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < _maxGroupSize && reader.TryRead(out PendingChangeset? pending))
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

            List<PendingChangeset> remaining = group;
            while (remaining.Count > 0)
            {
                remaining = await CommitOnceAsync(remaining).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One transaction over the group; returns the changesets PostgreSQL aborted for a reason a second try can avoid,
    /// to be tried again in a fresh transaction.
    /// </summary>
    private async Task<List<PendingChangeset>> CommitOnceAsync(List<PendingChangeset> group)
    {
        Interlocked.Increment(ref _transactionCount);
        var retry = new List<PendingChangeset>();
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);

            // Parameter ids commit on their own before the group's transaction (see ParameterIds).
            await _parameterIds.EnsureAsync(connection, group.SelectMany(p => ChangesetWriter.ParameterKeys(p.Changeset)), CancellationToken.None)
                .ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            foreach (PendingChangeset pending in group)
            {
                pending.Failure = null;
                try
                {
                    pending.Sequences = await _writer.ApplyAsync(connection, transaction, pending.Changeset, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not NpgsqlException || exception is PostgresException)
                {
                    // Undoes this changeset alone; a connection that broke fails the whole group below.
                    await using (var rollback = new NpgsqlCommand(ChangesetWriter.RollbackSql, connection, transaction))
                    {
                        await rollback.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }

                    if (Transient.IsTransient(exception) && pending.TransientFailures++ < _transientRetries)
                    {
                        retry.Add(pending);
                    }
                    else
                    {
                        pending.Failure = exception;
                    }
                }
            }

            FaultInjection.Hit(FaultPoints.InsideTransaction);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failure of the transaction itself is reported to every caller of the group.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            foreach (PendingChangeset pending in group)
            {
                pending.Fail(exception);
            }

            return [];
        }

        int written = 0;
        foreach (PendingChangeset pending in group.Except(retry))
        {
            written += pending.Failure is null ? pending.Changeset.Writes.Count : 0;
            pending.Complete();
        }

        _statistics.Written(written);
        return retry;
    }
}
