using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Faults;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Every <see cref="AuditLogOptions.CheckpointInterval"/> or <see cref="AuditLogOptions.CheckpointEvery"/> events (and on
/// a clean shutdown) signs with SM2 the heads of this node's chains as the log holds them, keeps a copy in the log and
/// exports it to the witness. A periodic checkpoint signs what the mover has moved (journaled records that have not
/// reached the log yet are in the next one); at shutdown, or asked for one, the journal is moved in first. The node's
/// series continues across restarts from the log's copy; checkpoints the witness missed (a crash between the two, a
/// witness that was down) are sent again, in order, before the next one.
/// </summary>
internal sealed class AuditCheckpointer(
    IAuditLog log,
    AuditLanes lanes,
    AuditLogWriter writer,
    AuditSigningKey key,
    IAuditWitness witness,
    AuditLogOptions options,
    TimeProvider time,
    ILogger<AuditCheckpointer> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _checkpointed = new(StringComparer.Ordinal);
    private readonly List<LaneHead> _ended = [];
    private readonly List<AuditCheckpoint> _unexported = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _number;
    private string? _previous;
    private Task? _loop;
    private int _disposed;

    /// <summary>The newest checkpoint taken (null before the first); for tests and the final report.</summary>
    internal AuditCheckpoint? Last { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.StartJournalAsync(cancellationToken).ConfigureAwait(false);
        await RecoverAsync(cancellationToken).ConfigureAwait(false);
        AuditLogLog.Started(logger, lanes.Node, options.Lanes, key.KeyId, witness.Description);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await CheckpointAsync(final: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes a checkpoint now when anything was committed since the last one (tests, shutdown).</summary>
    internal Task CheckpointAsync(bool final, CancellationToken cancellationToken) => CheckpointAsync(final, moveJournalFirst: true, cancellationToken);

    private async Task CheckpointAsync(bool final, bool moveJournalFirst, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Checkpoints sign what the log holds: asked for one, the journal's records acknowledged so far go in first.
            if (moveJournalFirst)
            {
                await FlushJournalAsync(cancellationToken).ConfigureAwait(false);
            }

            // Ended chains come out of TakeHeads once; they are carried until a checkpoint holding them succeeds.
            IReadOnlyList<LaneHead> taken = lanes.TakeHeads();
            IReadOnlySet<string> current = lanes.CurrentChainIds;
            _ended.AddRange(taken.Where(h => !current.Contains(h.ChainId)));
            List<LaneHead> heads = [.. _ended.Concat(taken.Where(h => current.Contains(h.ChainId))).DistinctBy(h => h.ChainId)];
            bool changed = heads.Any(h => !_checkpointed.TryGetValue(h.ChainId, out long seq) || seq != h.Sequence);
            if (!changed && !(final && heads.Count > 0 && Last is { Final: false }))
            {
                await ExportAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            AuditCheckpoint checkpoint = AuditCheckpoint.Create(lanes.Node, _number + 1, time.GetUtcNow(), _previous, key, heads, final);
            try
            {
                await log.AppendCheckpointAsync(
                    new AuditCheckpointRow(checkpoint.Node, checkpoint.Number, checkpoint.Time, checkpoint.Body, checkpoint.Signature),
                    cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A checkpoint that fails is retried by the next one, which covers the same heads.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                AuditLogLog.CheckpointFailed(logger, ex, checkpoint.Number);
                return;
            }

            FaultInjection.Hit(FaultPoints.CheckpointSigning);
            _number = checkpoint.Number;
            _previous = checkpoint.Hash;
            Last = checkpoint;
            foreach (LaneHead head in heads)
            {
                _checkpointed[head.ChainId] = head.Sequence;
            }

            _ended.Clear();
            _unexported.Add(checkpoint);
            await ExportAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Idempotent: the container disposes it both as itself and as the hosted service.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditCheckpointRow> mine = await log.ReadCheckpointsAsync(lanes.Node, cancellationToken).ConfigureAwait(false);
        if (mine.Count == 0)
        {
            return;
        }

        AuditCheckpoint last = AuditCheckpoint.Parse(mine[^1].Body.ToArray(), mine[^1].Signature.ToArray());
        _number = last.Number;
        _previous = last.Hash;
        Last = last;

        // The log's copy is written first: what the witness lacks of it (a crash in between) is sent again now.
        long? witnessed = await witness.LastNumberAsync(lanes.Node, cancellationToken).ConfigureAwait(false);
        if (witnessed is { } number && number < _number)
        {
            _unexported.AddRange(mine.Where(m => m.Number > number).Select(m => AuditCheckpoint.Parse(m.Body.ToArray(), m.Signature.ToArray())));
            await ExportAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushJournalAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writer.FlushAsync(cancellationToken).WaitAsync(options.CheckpointInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The database is slow or down: sign what has been moved; the rest is covered by a later checkpoint.
        }
    }

    private async Task ExportAsync(CancellationToken cancellationToken)
    {
        while (_unexported.Count > 0)
        {
            try
            {
                await witness.AppendAsync(_unexported[0], cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The witness may be down; the checkpoint stays queued and goes out with the next one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                AuditLogLog.WitnessFailed(logger, ex, _unexported[0].Number);
                return;
            }

            _unexported.RemoveAt(0);
        }
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                Task tick = Task.Delay(options.CheckpointInterval, time, stopping);
                Task threshold = lanes.ThresholdReached.WaitToReadAsync(stopping).AsTask();
                await Task.WhenAny(tick, threshold).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
                while (lanes.ThresholdReached.TryRead(out _))
                {
                }

                // The journal is not moved first: each move of CheckpointEvery rows signals a checkpoint, and one that
                // moved what had come meanwhile made every other move a small one.
                await CheckpointAsync(final: false, moveJournalFirst: false, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
