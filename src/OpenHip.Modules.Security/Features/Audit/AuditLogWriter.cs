using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The audit sink when the audit log is on. Records from many concurrent requests queue here and one loop takes
/// everything queued so far as one batch; each caller is answered only once its record is durable, and gets the
/// failure when it is not (no access without a record). Once the node has started (<see cref="StartJournalAsync"/>) a
/// batch is appended to the node's journal file with one fsync, and chained and moved into the audit log in the
/// background (<see cref="AuditJournalMover"/>): a request waits for a sequential write, not for a hash or a database
/// commit with its index pages. Before that, or with the journal off, a batch goes to the store directly on a free
/// lane, without waiting for the previous batch to commit (the SQLite writer merges whatever is queued into its next
/// transaction). The queue is bounded, and so is the journal's backlog: when the disk or the database falls behind,
/// requests wait rather than records pile up in memory.
/// </summary>
internal sealed partial class AuditLogWriter : IAuditSink, IAsyncDisposable
{
    private static readonly TimeSpan ProcessFlushDelay = TimeSpan.FromMilliseconds(100);

    private readonly IAuditLog _log;
    private readonly AuditLanes _lanes;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly int _maxBatch;
    private readonly AuditLogOptions _options;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;
    private int _disposed;
    private long _batches;
    private AuditJournal? _journal;
    // The journal's rows are chained by the mover: the writer only numbers them within their group.
    private AuditChainGroup? _journalGroup;
    private long _journalNext;
    private AuditJournalMover? _mover;
    private Thread? _flusher;
    private volatile bool _flusherStopping;
    private readonly Lock _journalGate = new();
    // No spinning before the wait: the flusher sleeps for ProcessFlushDelay at a time, and a SemaphoreSlim's spin before
    // each sleep showed as CPU of every audited read under load (perf).
    private readonly ManualResetEventSlim _flushStop = new(false, spinCount: 0);
    private int _flushDue;

    public AuditLogWriter(IAuditLog log, AuditLanes lanes, AuditLogOptions options, ILogger<AuditLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _lanes = lanes;
        _logger = logger;
        _maxBatch = options.MaxBatch;
        _options = options;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    public bool RecordsPatientsOfResults => true;

    /// <summary>The node's journal once started (tests put obstacles in its way).</summary>
    internal AuditJournal? Journal => _journal;

    /// <summary>Journaled records not yet in the audit log.</summary>
    internal long Unmoved => Volatile.Read(ref _mover)?.Unmoved ?? 0;

    /// <summary>Batches appended so far; lets tests see records grouped.</summary>
    internal long BatchCount => Interlocked.Read(ref _batches);

    public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_flusher is not null && Volatile.Read(ref _mover) is { } mover)
        {
            // ReadDurability Process: nothing to wait for but a write into the operating system, so the caller appends
            // its record itself instead of queueing it and waiting for the writer loop to answer; with room in the
            // backlog, without a state machine or a list for its one record.
            if (!mover.TryReserve(1))
            {
                return AppendWhenRoomAsync(mover, record);
            }

            try
            {
                AppendOneToJournal(mover, record);
            }
#pragma warning disable CA1031 // Not swallowed: the caller gets it through the returned task, as from the paths that await.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                AuditLogLog.AppendFailed(_logger, ex, 1);
                return ValueTask.FromException(ex);
            }

            LogHighPriority(record);
            return ValueTask.CompletedTask;
        }

        return QueueAsync(record, cancellationToken);
    }

    private async ValueTask AppendWhenRoomAsync(AuditJournalMover mover, AuditRecord record)
    {
        try
        {
            await AppendToJournalAsync(mover, [record], flush: false).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AuditLogLog.AppendFailed(_logger, ex, 1);
            throw;
        }

        LogHighPriority(record);
    }

    private async ValueTask QueueAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record);
        if (!_queue.Writer.TryWrite(pending))
        {
            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException ex)
            {
                throw new InvalidOperationException("The audit log is closed", ex);
            }
        }

        await pending.Completion.Task.ConfigureAwait(false);
        LogHighPriority(record);
    }

    /// <summary>
    /// Opens this node's journal (when <see cref="AuditLogOptions.Journal"/> is on), moves into the audit log what an
    /// earlier run left in it, and from then on records through it. Called once, as the node starts.
    /// </summary>
    public async Task StartJournalAsync(CancellationToken cancellationToken)
    {
        if (!_options.Journal || _mover is not null)
        {
            return;
        }

        AuditJournal journal = AuditJournal.Open(_options.ResolvedJournalPath, _options.JournalSegmentBytes);
        var mover = new AuditJournalMover(_log, _lanes, journal, _options, _logger);
        try
        {
            await mover.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await mover.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _journal = journal;
        StartGroup(mover);
        if (_options.ReadDurability == AuditReadDurability.Process)
        {
            // A thread of its own: each fsync blocks for milliseconds, which on the thread pool makes it add threads.
            _flusher = new Thread(FlushJournal) { IsBackground = true, Name = "openhip-audit-journal-flush" };
            _flusher.Start();
        }

        Volatile.Write(ref _mover, mover);
    }

    /// <summary>Completes once every record acknowledged so far is in the audit log (searches, checkpoints).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _mover)?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops taking records, appends what is queued and moves the journal into the audit log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
        }

        await _loop.ConfigureAwait(false);
        if (_flusher is not null)
        {
            _flusherStopping = true;
            _flushStop.Set();
            _flusher.Join();
        }

        _flushStop.Dispose();

        if (Interlocked.Exchange(ref _mover, null) is { } mover)
        {
            await mover.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        ChannelReader<Pending> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Volatile.Read(ref _mover) is { } mover)
            {
                (List<Pending> journaled, List<AuditRecord> records) = Take(reader);
                await JournalAsync(mover, journaled, records).ConfigureAwait(false);
                continue;
            }

            AuditLane lane = await _lanes.RentAsync(CancellationToken.None).ConfigureAwait(false);
            (List<Pending> batch, List<AuditRecord> batchRecords) = Take(reader);
            _ = AppendAsync(lane, batch, batchRecords);
        }

        await _lanes.SettledAsync().ConfigureAwait(false);
    }

    // ReadDurability Process: the journal is fsynced at most every ProcessFlushDelay, each fsync covering every append
    // before it. Chasing each append (an fsync every ~2 ms at thousands of reads a second) cost a thread wake-up per fsync
    // and wrote each journal page to disk again and again as it filled; the records are in the operating system's hands
    // before their answer either way, and a power loss can lose at most the last ProcessFlushDelay of them.
    private void FlushJournal()
    {
        while (true)
        {
            bool stopping = _flusherStopping;
            if (Interlocked.Exchange(ref _flushDue, 0) != 0)
            {
                try
                {
                    _journal!.Flush();
                }
#pragma warning disable CA1031 // Logged; the next flush tries again, and the segment is flushed again as it closes.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    AuditLogLog.FlushFailed(_logger, ex);
                }
            }

            if (stopping)
            {
                return;
            }

            _flushStop.Wait(ProcessFlushDelay);
        }
    }

    // A flag, not a wake-up: the flusher looks at it on its own schedule and clears it before it flushes, so the flush
    // covers every append that saw it set.
    private void SignalFlush()
    {
        if (Volatile.Read(ref _flushDue) == 0)
        {
            Volatile.Write(ref _flushDue, 1);
        }
    }

    private (List<Pending> Batch, List<AuditRecord> Records) Take(ChannelReader<Pending> reader)
    {
        var batch = new List<Pending>();
        var records = new List<AuditRecord>();
        while (batch.Count < _maxBatch && reader.TryRead(out Pending? pending))
        {
            batch.Add(pending);
            records.Add(pending.Record);
        }

        return (batch, records);
    }

    private async Task JournalAsync(AuditJournalMover mover, List<Pending> batch, List<AuditRecord> records)
    {
        try
        {
            await AppendToJournalAsync(mover, records, flush: _flusher is null).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure goes to every caller of the batch; the writer goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AuditLogLog.AppendFailed(_logger, ex, batch.Count);
            foreach (Pending pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        foreach (Pending pending in batch)
        {
            pending.Completion.TrySetResult();
        }
    }

    /// <summary><see cref="AppendToJournalAsync"/> for one record whose room in the backlog is reserved.</summary>
    private void AppendOneToJournal(AuditJournalMover mover, AuditRecord record)
    {
        byte[] payload;
        try
        {
            payload = AuditPayload.Write(record);
        }
        catch
        {
            mover.Unreserve(1);
            throw;
        }

        long recorded = record.When.ToUnixTimeMilliseconds();
        IReadOnlyList<string> patients = AuditLane.DistinctPatients(record.Patients);
        lock (_journalGate)
        {
            var row = new JournaledRow(_journalGroup!.Id, _journalGroup.Width, _journalNext, recorded, record.Who, patients, payload);
            long segment;
            try
            {
                segment = _journal!.Append(row);
            }
            catch
            {
                AbandonAppend(mover, 1);
                throw;
            }

            _journalNext++;
            mover.HandOver(row, segment);
        }

        Interlocked.Increment(ref _batches);
        SignalFlush();
    }

    /// <summary>Journals the records and hands them to the mover under one lock, so the mover sees them in order.</summary>
    private async ValueTask AppendToJournalAsync(AuditJournalMover mover, List<AuditRecord> records, bool flush)
    {
        await mover.ReserveAsync(records.Count).ConfigureAwait(false);
        byte[][] payloads;
        try
        {
            payloads = [.. records.Select(AuditPayload.Write)];
        }
        catch
        {
            mover.Unreserve(records.Count);
            throw;
        }

        lock (_journalGate)
        {
            var rows = new JournaledRow[records.Count];
            for (int i = 0; i < rows.Length; i++)
            {
                AuditRecord record = records[i];
                rows[i] = new JournaledRow(
                    _journalGroup!.Id, _journalGroup.Width, _journalNext + i, record.When.ToUnixTimeMilliseconds(), record.Who, AuditLane.DistinctPatients(record.Patients), payloads[i]);
            }

            long segment;
            try
            {
                segment = _journal!.Append(rows, flush);
            }
            catch
            {
                AbandonAppend(mover, records.Count);
                throw;
            }

            _journalNext += rows.Length;
            mover.HandOver(rows, segment);
        }

        Interlocked.Increment(ref _batches);
        if (!flush)
        {
            SignalFlush();
        }
    }

    // What reached the file is unknown: a fresh segment and a fresh group of chains, and the rows are never moved.
    private void AbandonAppend(AuditJournalMover mover, int rows)
    {
        _journal!.Abandon();
        StartGroup(mover);
        mover.Unreserve(rows);
    }

    private void StartGroup(AuditJournalMover mover)
    {
        _journalGroup = _lanes.NewJournalGroup();
        _journalNext = 0;
        mover.Adopt(_journalGroup);
    }

    // Overrides (break-the-glass) must reach an operator now, not when someone next reads the log.
    private void LogHighPriority(AuditRecord record)
    {
        if (record.Priority == AuditPriority.High)
        {
            AuditLogLog.HighPriority(_logger, record.Interaction, record.Resource ?? "-", record.Outcome, record.CorrelationId ?? "-");
        }
    }

    private async Task AppendAsync(AuditLane lane, List<Pending> batch, List<AuditRecord> records)
    {
        IReadOnlyList<AuditRow> rows = [];
        try
        {
            rows = lane.Extend(records);
            await _log.AppendAsync(rows, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure goes to every caller of the batch; the writer goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Whether the append reached the disk is unknown: the lane continues on a fresh chain.
            _lanes.Settle(lane, rows, committed: false, rolledBack: false);
            AuditLogLog.AppendFailed(_logger, ex, batch.Count);
            foreach (Pending pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        _lanes.Settle(lane, rows, committed: true, rolledBack: false);
        Interlocked.Increment(ref _batches);
        foreach (Pending pending in batch)
        {
            pending.Completion.TrySetResult();
        }
    }

    private sealed class Pending(AuditRecord record)
    {
        public AuditRecord Record { get; } = record;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
