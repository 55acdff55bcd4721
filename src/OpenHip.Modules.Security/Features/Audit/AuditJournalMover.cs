using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Moves journaled read audits into the audit log: in large batches (one transaction for up to
/// <see cref="AuditLogOptions.MoveBatch"/> rows, about <see cref="AuditLogOptions.MoveInterval"/> after a row arrived,
/// later by one move's commit for a row that arrives during a move), so the log's indexes are written thousands of rows
/// at a time instead of a handful per request. Rows are chained as they are moved (<see cref="AuditChainGroup"/>). The
/// heads of moved rows are what checkpoints sign, so a checkpoint never covers a row the database does not have. A
/// failed move is retried with the same rows (those the log already has, after an unknown outcome, are skipped by
/// sequence); rows a stopped node left unmoved are chained again at its next start from the heads the log holds, which
/// gives the same links.
/// </summary>
internal sealed class AuditJournalMover : IAsyncDisposable
{
    private readonly IAuditLog _log;
    private readonly AuditLanes _lanes;
    private readonly AuditJournal _journal;
    private readonly ILogger _logger;
    private readonly int _moveBatch;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly Queue<(JournaledRow Row, long Segment)> _pending = new();
    private readonly Dictionary<string, AuditChainGroup> _groups = new(StringComparer.Ordinal);
    private readonly List<(long Target, TaskCompletionSource Done)> _flushes = [];
    private readonly SemaphoreSlim _wake = new(0);
    // Room left in the backlog: taken with one atomic add per audited request. A SemaphoreSlim's Wait(0) took its lock,
    // and its Release, every time.
    private long _room;
    private TaskCompletionSource _roomFreed = NewSignal();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _handedOver;
    private long _moved;
    private long _newestHanded;
    private TaskCompletionSource _hurry = NewSignal();
    private int _disposed;
    private bool _leftoversMoved;

    public AuditJournalMover(IAuditLog log, AuditLanes lanes, AuditJournal journal, AuditLogOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _lanes = lanes;
        _journal = journal;
        _logger = logger;
        _moveBatch = options.MoveBatch;
        _interval = options.MoveInterval;
        _room = options.JournalBacklog;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows journaled and not yet in the audit log.</summary>
    public long Unmoved => Interlocked.Read(ref _handedOver) - Interlocked.Read(ref _moved);

    /// <summary>
    /// Moves what earlier runs left in the journal (rows the log already has are skipped), deletes those segments and
    /// marks their chains ended, so the next checkpoint covers them. Before the first append of this run.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        if (_journal.Leftovers.Count == 0)
        {
            _leftoversMoved = true;
            return 0;
        }

        Dictionary<string, AuditChainHead> stored = (await _log.ListChainsAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(h => h.ChainId, StringComparer.Ordinal);
        var ends = new Dictionary<string, LaneHead>(StringComparer.Ordinal);
        var groups = new Dictionary<string, AuditChainGroup>(StringComparer.Ordinal);
        int recovered = 0;
        foreach (long segment in _journal.Leftovers)
        {
            AuditJournalContents contents = _journal.Read(segment, out bool damaged);
            List<AuditRow> missing = [.. contents.Chained.Where(r => r.Sequence > (stored.GetValueOrDefault(r.ChainId)?.Sequence ?? 0))];
            missing.AddRange(ChainRecovered(contents.Unchained, stored, groups));
            for (int i = 0; i < missing.Count; i += _moveBatch)
            {
                await _log.AppendAsync(missing.GetRange(i, Math.Min(_moveBatch, missing.Count - i)), cancellationToken).ConfigureAwait(false);
            }

            foreach (AuditRow row in contents.Chained)
            {
                ends[row.ChainId] = new LaneHead(row.ChainId, row.Sequence, row.Hash);
                if (row.Sequence > (stored.GetValueOrDefault(row.ChainId)?.Sequence ?? 0))
                {
                    stored[row.ChainId] = new AuditChainHead(row.ChainId, row.Sequence, row.Sequence, row.Recorded, row.Hash);
                }
            }

            recovered += missing.Count;
            if (damaged)
            {
                // Whole frames were moved; what follows a torn frame was never acknowledged unless the disk lost data.
                AuditLogLog.JournalDamaged(_logger, _journal.Quarantine(segment), contents.Count);
            }
        }

        foreach (LaneHead head in groups.Values.SelectMany(g => g.Heads).Where(h => h.Sequence > 0))
        {
            ends[head.ChainId] = head;
        }

        _journal.DeleteBefore(_journal.Leftovers[^1] + 1);
        foreach (LaneHead end in ends.Values)
        {
            _lanes.EndRecovered(end);
        }

        _leftoversMoved = true;
        AuditLogLog.JournalRecovered(_logger, recovered, _journal.Leftovers.Count);
        return recovered;
    }

    // Rows of a group the log has (an unknown outcome before the crash) are skipped; the rest are chained from the heads
    // the log holds, as the move that did not happen would have. Rows that do not follow on (a segment lost before) go
    // to a group of their own.
    private List<AuditRow> ChainRecovered(
        List<JournaledRow> rows, Dictionary<string, AuditChainHead> stored, Dictionary<string, AuditChainGroup> groups)
    {
        var chained = new List<AuditRow>();
        for (int start = 0, end = 1; start < rows.Count; start = end++)
        {
            string id = rows[start].Group;
            while (end < rows.Count && string.Equals(rows[end].Group, id, StringComparison.Ordinal))
            {
                end++;
            }

            List<JournaledRow> run = rows.GetRange(start, end - start);
            if (!groups.TryGetValue(id, out AuditChainGroup? group))
            {
                try
                {
                    group = AuditChainGroup.Resume(id, run[0].GroupWidth, stored);
                }
                catch (InvalidDataException ex)
                {
                    AuditLogLog.JournalGroupReplaced(_logger, ex, id);
                }
            }

            if (group is not null && string.Equals(group.Id, id, StringComparison.Ordinal))
            {
                run = [.. run.Where(r => r.Index >= group.Next)];
                if (run.Count > 0 && run[0].Index != group.Next)
                {
                    AuditLogLog.JournalGroupReplaced(_logger, null, id);
                    group = null;
                }
            }

            // A replacement group takes the rest of the group's rows, numbered on from its own.
            group ??= _lanes.NewJournalGroup();
            if (!string.Equals(group.Id, id, StringComparison.Ordinal))
            {
                long next = group.Next;
                run = [.. run.Select((r, i) => r with { Group = group.Id, GroupWidth = group.Width, Index = next + i })];
            }

            groups[id] = group;
            chained.AddRange(group.Chain(run));
        }

        return chained;
    }

    /// <summary>Makes room for <paramref name="rows"/> rows; waits while the backlog is full (the database is behind).</summary>
    public ValueTask ReserveAsync(int rows) => TryReserve(rows) ? ValueTask.CompletedTask : WaitForRoomAsync(rows);

    /// <summary>Gives back room reserved for rows that were not journaled after all.</summary>
    public void Unreserve(int rows) => FreeRoom(rows);

    /// <summary>Makes room for <paramref name="rows"/> rows when the backlog has it; false, taking nothing, when full.</summary>
    public bool TryReserve(int rows)
    {
        if (Interlocked.Add(ref _room, -rows) >= 0)
        {
            return true;
        }

        Interlocked.Add(ref _room, rows);
        return false;
    }

    private async ValueTask WaitForRoomAsync(int rows)
    {
        while (true)
        {
            // Taken before trying: room freed after a failed try completes this signal, so no wake-up is lost.
            Task freed = Volatile.Read(ref _roomFreed).Task;
            if (TryReserve(rows))
            {
                return;
            }

            await freed.ConfigureAwait(false);
        }
    }

    private void FreeRoom(int rows)
    {
        Interlocked.Add(ref _room, rows);
        Interlocked.Exchange(ref _roomFreed, NewSignal()).TrySetResult();
    }

    /// <summary>Chains the rows of <paramref name="group"/> as they are moved; before the writer hands any over.</summary>
    public void Adopt(AuditChainGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        lock (_gate)
        {
            _groups[group.Id] = group;
        }
    }

    /// <summary>Takes reserved rows that are in <paramref name="segment"/>, in their groups' order (the caller serialises calls).</summary>
    public void HandOver(IReadOnlyList<JournaledRow> rows, long segment)
    {
        ArgumentNullException.ThrowIfNull(rows);
        bool wasEmpty;
        lock (_gate)
        {
            wasEmpty = _pending.Count == 0;
            foreach (JournaledRow row in rows)
            {
                _pending.Enqueue((row, segment));
            }

            Taken(rows.Count, segment);
        }

        WakeIf(wasEmpty);
    }

    /// <summary><see cref="HandOver(IReadOnlyList{JournaledRow}, long)"/> for one row (an audited read's).</summary>
    public void HandOver(JournaledRow row, long segment)
    {
        bool wasEmpty;
        lock (_gate)
        {
            wasEmpty = _pending.Count == 0;
            _pending.Enqueue((row, segment));
            Taken(1, segment);
        }

        WakeIf(wasEmpty);
    }

    private void Taken(int rows, long segment)
    {
        _handedOver += rows;
        _newestHanded = segment;
        if (_pending.Count >= _moveBatch)
        {
            _hurry.TrySetResult();
        }
    }

    // The loop takes batches until the queue is empty, so only a hand-over into an empty queue can find it waiting;
    // waking it for every row took the semaphore's lock twice per audited request (here and in the loop's drain).
    private void WakeIf(bool wasEmpty)
    {
        if (wasEmpty)
        {
            _wake.Release();
        }
    }

    /// <summary>Completes once every row handed over before the call is in the audit log.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Task done;
        lock (_gate)
        {
            if (_moved >= _handedOver)
            {
                return Task.CompletedTask;
            }

            var flush = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((_handedOver, flush));
            _hurry.TrySetResult();
            done = flush.Task;
        }

        _wake.Release();
        return done.WaitAsync(cancellationToken);
    }

    /// <summary>Moves everything handed over (unless the database refuses it), then stops; deletes the journal when all is moved.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _hurry.TrySetResult();
        }

        _wake.Release();
        await _loop.ConfigureAwait(false);
        if (_leftoversMoved && Unmoved == 0)
        {
            _journal.Retire();
        }

        _journal.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (true)
        {
            // Rows that came while the last pass moved are already waiting: they gather for this pass without a wake-up.
            if (PendingCount() == 0)
            {
                await _wake.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            Task hurry;
            lock (_gate)
            {
                hurry = _hurry.Task;
            }

            // Let a batch gather unless someone waits for it, it is already large, or the node is stopping.
            await Task.WhenAny(Task.Delay(_interval, stopping), hurry).ConfigureAwait(false);
            lock (_gate)
            {
                if (_hurry.Task.IsCompleted)
                {
                    _hurry = NewSignal();
                }
            }

            // Every hand-over so far is about to be moved; one made from here on wakes the loop again.
            while (_wake.Wait(0))
            {
            }

            // Only what gathered. Chasing the rows that arrive while a move commits kept the moves back to back, each as
            // small as one commit's latency let gather (~90 rows at 16,000 audited reads a second, ~200 moves a second),
            // and a small move costs about twice the CPU per event of a full one (audit-growth --batch).
            for (int due = PendingCount(); due > 0;)
            {
                List<(JournaledRow Row, long Segment)> batch = TakeBatch(due);
                due -= batch.Count;
                if (!await MoveAsync(batch).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (stopping.IsCancellationRequested && PendingCount() == 0)
            {
                return;
            }
        }
    }

    /// <summary>False when the node is stopping and the database still refuses the rows: they stay in the journal for the next start.</summary>
    private async Task<bool> MoveAsync(List<(JournaledRow Row, long Segment)> batch)
    {
        (List<AuditRow> rows, List<AuditChainGroup> groups) = Chain(batch);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt > 0)
                {
                    rows = await WithoutStoredAsync(rows).ConfigureAwait(false);
                }

                if (rows.Count > 0)
                {
                    await _log.AppendAsync(rows, CancellationToken.None).ConfigureAwait(false);
                }

                break;
            }
#pragma warning disable CA1031 // The rows are durable in the journal: the move is retried until the database takes them.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                AuditLogLog.MoveFailed(_logger, ex, rows.Count, attempt + 1);
                if (_stopping.IsCancellationRequested && attempt >= 2)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 << Math.Min(attempt, 6))), CancellationToken.None).ConfigureAwait(false);
            }
        }

        _lanes.Moved(groups.SelectMany(g => g.Heads).Where(h => h.Sequence > 0), batch.Count);

        long deleteBelow;
        var done = new List<TaskCompletionSource>();
        lock (_gate)
        {
            _moved += batch.Count;
            // Below the oldest unmoved row's segment everything is moved. With nothing pending, the newest segment handed
            // over may still be taking rows the writer has not handed over yet; only the ones before it are done.
            deleteBelow = _pending.TryPeek(out (JournaledRow Row, long Segment) next) ? next.Segment : _newestHanded;
            for (int i = _flushes.Count - 1; i >= 0; i--)
            {
                if (_flushes[i].Target <= _moved)
                {
                    done.Add(_flushes[i].Done);
                    _flushes.RemoveAt(i);
                }
            }
        }

        FreeRoom(batch.Count);
        _journal.DeleteBefore(deleteBelow);
        foreach (TaskCompletionSource flush in done)
        {
            flush.TrySetResult();
        }

        return true;
    }

    private async Task<List<AuditRow>> WithoutStoredAsync(List<AuditRow> rows)
    {
        Dictionary<string, long> stored = (await _log.ListChainsAsync(CancellationToken.None).ConfigureAwait(false))
            .ToDictionary(h => h.ChainId, h => h.Sequence, StringComparer.Ordinal);
        return [.. rows.Where(r => r.Sequence > stored.GetValueOrDefault(r.ChainId))];
    }

    // A batch holds one group's rows in order, or a few groups' one after another (the writer started a new group).
    private (List<AuditRow> Rows, List<AuditChainGroup> Groups) Chain(List<(JournaledRow Row, long Segment)> batch)
    {
        var rows = new List<AuditRow>(batch.Count);
        var groups = new List<AuditChainGroup>();
        for (int start = 0, end = 1; start < batch.Count; start = end++)
        {
            string id = batch[start].Row.Group;
            while (end < batch.Count && string.Equals(batch[end].Row.Group, id, StringComparison.Ordinal))
            {
                end++;
            }

            AuditChainGroup group;
            lock (_gate)
            {
                group = _groups[id];
            }

            rows.AddRange(group.Chain([.. batch.Skip(start).Take(end - start).Select(b => b.Row)]));
            groups.Add(group);
        }

        return (rows, groups);
    }

    private List<(JournaledRow Row, long Segment)> TakeBatch(int most)
    {
        lock (_gate)
        {
            int size = Math.Min(Math.Min(_pending.Count, _moveBatch), most);
            var batch = new List<(JournaledRow, long)>(size);
            while (batch.Count < size && _pending.TryDequeue(out (JournaledRow, long) item))
            {
                batch.Add(item);
            }

            return batch;
        }
    }

    private int PendingCount()
    {
        lock (_gate)
        {
            return _pending.Count;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
