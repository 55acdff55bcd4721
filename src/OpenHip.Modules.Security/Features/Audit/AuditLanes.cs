using System.Collections.Concurrent;
using System.Threading.Channels;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// This node's chain lanes. Each lane is a chain of its own, started fresh (new id) when the process starts, so nodes and
/// concurrent commits never queue on one chain head, and no head ever has to be recovered after a crash: a chain simply
/// ends where its last commit did. A commit whose outcome is unknown ends its chain the same way (the lane continues
/// on a new one) instead of guessing what the next sequence number should be.
/// </summary>
internal sealed class AuditLanes : IWriteAuditor
{
    private readonly AuditLane[] _lanes;
    private readonly Channel<AuditLane> _free;
    private readonly ConcurrentQueue<LaneHead> _ended = new();

    // Chains of the read-audit journal this run: the newest head of each that is in the audit log.
    private readonly ConcurrentDictionary<string, LaneHead> _moved = new(StringComparer.Ordinal);
    private readonly Channel<bool> _threshold = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly int _checkpointEvery;
    private readonly int _journalChains;
    private readonly string _node;
    private long _appended;

    public AuditLanes(AuditLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _node = options.Node;
        _checkpointEvery = options.CheckpointEvery;
        _journalChains = options.JournalChains;
        _lanes = [.. Enumerable.Range(0, options.Lanes).Select(_ => new AuditLane(NewChainId()))];
        _free = Channel.CreateUnbounded<AuditLane>();
        foreach (AuditLane lane in _lanes)
        {
            _free.Writer.TryWrite(lane);
        }
    }

    public string Node => _node;

    /// <summary>The chains the lanes are writing now.</summary>
    public IReadOnlySet<string> CurrentChainIds => _lanes.Select(l => l.Head.ChainId).Concat(_moved.Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>Events committed since start.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Signalled when another <see cref="AuditLogOptions.CheckpointEvery"/> events have been committed.</summary>
    public ChannelReader<bool> ThresholdReached => _threshold.Reader;

    public ValueTask<AuditLane> RentAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    /// <summary>Completes once every lane is free, that is once every commit in flight has settled.</summary>
    public async Task SettledAsync()
    {
        var held = new List<AuditLane>(_lanes.Length);
        while (held.Count < _lanes.Length)
        {
            held.Add(await RentAsync(CancellationToken.None).ConfigureAwait(false));
        }

        foreach (AuditLane lane in held)
        {
            _free.Writer.TryWrite(lane);
        }
    }

    /// <summary>Chains of their own for the read-audit journal, outside the pool; their heads reach checkpoints through <see cref="Moved"/>.</summary>
    public AuditChainGroup NewJournalGroup()
    {
        AuditChainGroup group = AuditChainGroup.Start(NewChainId(), _journalChains);
        foreach (LaneHead head in group.Heads)
        {
            _moved.TryAdd(head.ChainId, head);
        }

        return group;
    }

    /// <summary>Journaled rows, <paramref name="rows"/> of them, are now in the audit log, each chain up to its head in <paramref name="heads"/>.</summary>
    public void Moved(IEnumerable<LaneHead> heads, int rows)
    {
        ArgumentNullException.ThrowIfNull(heads);
        foreach (LaneHead head in heads)
        {
            _moved.AddOrUpdate(head.ChainId, head, (_, old) => head.Sequence > old.Sequence ? head : old);
        }

        Count(rows);
    }

    /// <summary>A chain an earlier run wrote to its journal and this run moved: the next checkpoint covers its end.</summary>
    public void EndRecovered(LaneHead head) => _ended.Enqueue(head);

    /// <summary>Hands the lane back after its rows committed (<paramref name="committed"/>) or not.</summary>
    /// <param name="rolledBack">For a failed commit: true when it certainly wrote nothing (the chain goes on), false when unknown (the chain ends).</param>
    public void Settle(AuditLane lane, IReadOnlyList<AuditRow> rows, bool committed, bool rolledBack)
    {
        ArgumentNullException.ThrowIfNull(lane);
        ArgumentNullException.ThrowIfNull(rows);
        if (committed)
        {
            lane.Advance(rows);
            Count(rows.Count);
        }
        else if (!rolledBack)
        {
            LaneHead ended = lane.Restart(NewChainId());
            if (ended.Sequence > 0)
            {
                _ended.Enqueue(ended);
            }
        }

        _free.Writer.TryWrite(lane);
    }

    public async ValueTask<AuditReservation> ReserveAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        AuditLane lane = await RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new LaneReservation(this, lane, lane.Extend(records));
        }
        catch
        {
            Settle(lane, [], committed: false, rolledBack: true);
            throw;
        }
    }

    /// <summary>The committed head of every chain that has rows: the lanes' current ones and those ended since the last call.</summary>
    public IReadOnlyList<LaneHead> TakeHeads()
    {
        var heads = new List<LaneHead>();
        while (_ended.TryDequeue(out LaneHead? ended))
        {
            heads.Add(ended);
        }

        heads.AddRange(_lanes.Select(l => l.Head).Concat(_moved.Values).Where(h => h.Sequence > 0));
        return heads;
    }

    private void Count(int rows)
    {
        long before = Interlocked.Add(ref _appended, rows) - rows;
        if ((before + rows) / _checkpointEvery > before / _checkpointEvery)
        {
            _threshold.Writer.TryWrite(true);
        }
    }

    private string NewChainId() => $"{_node}.{Guid.CreateVersion7():N}";

    private sealed class LaneReservation(AuditLanes lanes, AuditLane lane, IReadOnlyList<AuditRow> rows) : AuditReservation
    {
        private int _settled;

        public override IReadOnlyList<AuditRow> Rows => rows;

        public override void Committed() => Settle(committed: true, rolledBack: false);

        public override void Abandoned(bool rolledBack) => Settle(committed: false, rolledBack);

        private void Settle(bool committed, bool rolledBack)
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0)
            {
                lanes.Settle(lane, rows, committed, rolledBack);
            }
        }
    }
}
