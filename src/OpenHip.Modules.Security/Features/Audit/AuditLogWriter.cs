using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The audit sink when the audit log is on. Records from many concurrent requests queue here and one loop takes
/// everything queued so far as one chained batch on a free lane and hands it to the store (one transaction, one fsync
/// for many requests); each caller is answered only once its record is durable, and gets the failure when it is not
/// (no access without a record). The loop does not wait for a batch's commit before taking the next one: with one
/// batch in flight, a record arriving during a commit waited for that commit and then its own, and the SQLite writer
/// already merges whatever is queued into its next transaction. Batches in flight are bounded by the lanes, the queue
/// by its capacity: when the database falls behind, requests wait rather than records pile up in memory.
/// </summary>
internal sealed partial class AuditLogWriter : IAuditSink, IAsyncDisposable
{
    private readonly IAuditLog _log;
    private readonly AuditLanes _lanes;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;
    private int _disposed;
    private long _batches;

    public AuditLogWriter(IAuditLog log, AuditLanes lanes, AuditLogOptions options, ILogger<AuditLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _lanes = lanes;
        _logger = logger;
        _maxBatch = options.MaxBatch;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    public bool RecordsPatientsOfResults => true;

    /// <summary>Batches appended so far; lets tests see records grouped.</summary>
    internal long BatchCount => Interlocked.Read(ref _batches);

    public async ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
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
        if (record.Priority == AuditPriority.High)
        {
            // Overrides (break-the-glass) must reach an operator now, not when someone next reads the log.
            AuditLogLog.HighPriority(_logger, record.Interaction, record.Resource ?? "-", record.Outcome, record.CorrelationId ?? "-");
        }
    }

    /// <summary>Stops taking records and appends what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
        }

        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        ChannelReader<Pending> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            AuditLane lane = await _lanes.RentAsync(CancellationToken.None).ConfigureAwait(false);
            var batch = new List<Pending>();
            var records = new List<AuditRecord>();
            while (batch.Count < _maxBatch && reader.TryRead(out Pending? pending))
            {
                batch.Add(pending);
                records.Add(pending.Record);
            }

            _ = AppendAsync(lane, batch, records);
        }

        await _lanes.SettledAsync().ConfigureAwait(false);
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
