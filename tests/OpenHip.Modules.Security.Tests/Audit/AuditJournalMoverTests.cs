using Microsoft.Extensions.Logging.Abstractions;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// The mover moves what has gathered in one pass; rows that come while a move commits gather for the next. Its backlog
/// holds reservations back while the audit log is behind.
/// </summary>
public sealed class AuditJournalMoverTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-mover-" + Guid.NewGuid().ToString("n")[..8]);

    [Fact]
    public async Task RowsArrivingDuringAMove_WaitForTheNextPass()
    {
        var log = new GatedLog();
        (AuditJournalMover mover, AuditChainGroup group, Task first) = await StartMovingFiveAsync(log, backlog: 200_000);
        await using (mover)
        {
            await HandOverAsync(mover, group, 3, first: 5);
            log.Open.SetResult();
            await first.WaitAsync(TimeSpan.FromSeconds(30));

            // Nothing asks for the three (no flush, MoveInterval an hour): a mover that chased them moved them at once.
            await Task.Delay(300);
            Assert.Equal([5], log.Appends);
            Assert.Equal(3, mover.Unmoved);

            await mover.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal([5, 3], log.Appends);
        }
    }

    [Fact]
    public async Task AFullBacklog_HoldsReservationsUntilAMoveFreesRoom()
    {
        var log = new GatedLog();
        (AuditJournalMover mover, _, Task moved) = await StartMovingFiveAsync(log, backlog: 8);
        await using (mover)
        {
            await mover.ReserveAsync(3).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Task waiting = mover.ReserveAsync(2).AsTask();
            mover.Unreserve(1);

            // Eight reserved, one given back, the move of five not committed: room for two more comes only with it.
            await Task.Delay(300);
            Assert.False(waiting.IsCompleted);

            log.Open.SetResult();
            await moved.WaitAsync(TimeSpan.FromSeconds(30));
            await waiting.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(mover.ReserveAsync(4).AsTask().IsCompletedSuccessfully);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>A mover (MoveInterval an hour) whose first move, of five rows, has started and waits at the log's gate.</summary>
    private async Task<(AuditJournalMover Mover, AuditChainGroup Group, Task Moved)> StartMovingFiveAsync(GatedLog log, int backlog)
    {
        var options = new AuditLogOptions { DataDirectory = _root, NodeId = "mover", MoveInterval = TimeSpan.FromHours(1), JournalBacklog = backlog };
        var lanes = new AuditLanes(options);
        var mover = new AuditJournalMover(log, lanes, AuditJournal.Open(options.ResolvedJournalPath, 1 << 20), options, NullLogger.Instance);
        await mover.RecoverAsync(CancellationToken.None);
        AuditChainGroup group = lanes.NewJournalGroup();
        mover.Adopt(group);
        await HandOverAsync(mover, group, 5, first: 0);
        Task moved = mover.FlushAsync(CancellationToken.None);
        await log.FirstAppend.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (mover, group, moved);
    }

    private static async Task HandOverAsync(AuditJournalMover mover, AuditChainGroup group, int count, long first)
    {
        await mover.ReserveAsync(count);
        mover.HandOver(JournalTestRows.Of(Enumerable.Range(0, count).Select(i => AuditLogHarness.Read("p" + i, "dr-m", DateTimeOffset.UtcNow)), group.Id, first), 0);
    }

    /// <summary>An audit log whose first append waits until the test opens it; it keeps only the size of each append.</summary>
    private sealed class GatedLog : IAuditLog
    {
        public TaskCompletionSource FirstAppend { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> Appends { get; } = [];

        public async Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
        {
            FirstAppend.TrySetResult();
            await Open.Task;
            lock (Appends)
            {
                Appends.Add(rows.Count);
            }
        }

        public Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditChainHead>>([]);

        public Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AppendCheckpointAsync(AuditCheckpointRow checkpoint, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
