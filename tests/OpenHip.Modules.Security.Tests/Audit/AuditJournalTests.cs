using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// The read-audit journal over a real store: what a crashed run left in it reaches the log exactly once at the next
/// start and verifies; moved segments are deleted; a torn tail is set aside, not moved.
/// </summary>
public abstract class AuditJournalTests
{
    private protected abstract Task<AuditLogHarness> CreateAsync(Action<AuditLogOptions>? configure = null);

    [SkippableFact]
    public async Task Restart_AfterACrashMidMove_MovesTheRestOnceAndVerifies()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);

        // What a run killed mid-move leaves: two batches journaled, the first already moved, and half a frame at the end.
        const string crashed = "node-a.crashed";
        string? segmentPath = null;
        await log.RestartAsync(clean: false, whileStopped: async () =>
        {
            List<JournaledRow> moved = JournalTestRows.Of(Reads(4, "p7"), crashed);
            using (AuditJournal journal = AuditJournal.Open(log.Options.ResolvedJournalPath, log.Options.JournalSegmentBytes))
            {
                journal.Append(moved);
                journal.Append(JournalTestRows.Of(Reads(5, "p8"), crashed, first: 4));
            }

            await log.Store.AppendAsync(AuditChainGroup.Start(crashed).Chain(moved), CancellationToken.None);
            segmentPath = Assert.Single(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.journal"));
            await File.AppendAllBytesAsync(segmentPath, [0x40, 0, 0, 0, 1, 2, 3]);
        });

        // Nine rows, one in each of the group's first nine chains: the four moved before once, the five after chained on.
        List<AuditChainHead> heads = [.. (await log.Store.ListChainsAsync(CancellationToken.None)).Where(h => h.ChainId.StartsWith(crashed + "-", StringComparison.Ordinal))];
        Assert.Equal(AuditChainGroup.ChainIdsOf(crashed, 16).Take(9), heads.Select(h => h.ChainId));
        Assert.All(heads, h => Assert.Equal((1L, 1L), (h.Sequence, h.Count)));
        AuditPage p8 = await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p8"), CancellationToken.None);
        Assert.Equal(5, p8.Rows.Count);
        Assert.Empty(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.journal"));
        Assert.True(File.Exists(segmentPath + ".damaged"));

        await log.CheckpointAsync();
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(12, report.Rows);
        Assert.Equal(9, log.Checkpointer.Last!.Chains.Where(c => c.ChainId.StartsWith(crashed + "-", StringComparison.Ordinal)).Sum(c => c.Sequence));
    }

    [SkippableFact]
    public async Task Restart_AfterACrashWithChainedSegmentsOfBefore_MovesThemOnceAndVerifies()
    {
        await using AuditLogHarness log = await CreateAsync();

        // A segment of rows chained when written (before chain groups), the first two already in the log.
        const string crashed = "node-a.before";
        await log.RestartAsync(clean: false, whileStopped: async () =>
        {
            var lane = new AuditLane(crashed);
            IReadOnlyList<AuditRow> rows = lane.Extend(Reads(5, "p6"));
            await log.Store.AppendAsync([.. rows.Take(2)], CancellationToken.None);
            Directory.CreateDirectory(log.Options.ResolvedJournalPath);
            await File.WriteAllBytesAsync(Path.Combine(log.Options.ResolvedJournalPath, "000000000001.journal"), JournalTestRows.ChainedSegment(rows));
        });

        AuditChainHead head = Assert.Single(await log.Store.ListChainsAsync(CancellationToken.None), h => h.ChainId == crashed);
        Assert.Equal((5L, 5L), (head.Sequence, head.Count));
        await log.CheckpointAsync();
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(5, report.Rows);
    }

    [SkippableFact]
    public async Task Restart_WhenTheLogLacksRowsBeforeTheJournals_ChainsTheRestInANewGroup()
    {
        await using AuditLogHarness log = await CreateAsync();

        // The journal's rows start at the group's row 3, but the log holds none of rows 0–2 (a segment lost before).
        const string crashed = "node-a.gap";
        await log.RestartAsync(clean: false, whileStopped: () =>
        {
            using AuditJournal journal = AuditJournal.Open(log.Options.ResolvedJournalPath, log.Options.JournalSegmentBytes);
            journal.Append(JournalTestRows.Of(Reads(4, "p5"), crashed, first: 3));
            return Task.CompletedTask;
        });

        IReadOnlyList<AuditChainHead> chains = await log.Store.ListChainsAsync(CancellationToken.None);
        Assert.DoesNotContain(chains, h => h.ChainId.StartsWith(crashed + "-", StringComparison.Ordinal));
        Assert.Equal(4, (await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p5"), CancellationToken.None)).Rows.Count);
        await log.CheckpointAsync();
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(4, report.Rows);
    }

    [SkippableFact]
    public async Task Restart_AfterACrashMidCopy_MovesEveryWholeBatchAndKeepsNoDamagedSegment()
    {
        await using AuditLogHarness log = await CreateAsync();
        const string crashed = "node-a.midcopy";
        await log.RestartAsync(clean: false, whileStopped: () =>
        {
            // A crashed run's mapped segment: two whole batches, then a batch copied all but its first length.
            using AuditJournal journal = AuditJournal.Open(log.Options.ResolvedJournalPath, log.Options.JournalSegmentBytes);
            journal.Append(JournalTestRows.Of(Reads(3, "p9"), crashed));
            journal.Append(JournalTestRows.Of(Reads(4, "p9"), crashed, first: 3));

            string path = Assert.Single(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.journal"));
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            var frames = new AuditJournalFrames.Writer();
            foreach (JournaledRow row in JournalTestRows.Of(Reads(2, "p9"), crashed, first: 7))
            {
                frames.Write(buffer, row);
            }

            byte[] torn = buffer.WrittenSpan.ToArray();
            torn.AsSpan(0, 4).Clear();
            journal.Dispose();
            File.AppendAllBytes(path, [.. torn, .. new byte[4096]]);
            return Task.CompletedTask;
        });

        List<AuditChainHead> heads = [.. (await log.Store.ListChainsAsync(CancellationToken.None)).Where(h => h.ChainId.StartsWith(crashed + "-", StringComparison.Ordinal))];
        Assert.Equal(7, heads.Sum(h => h.Count));
        Assert.Empty(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.damaged"));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Journal_SmallSegments_AreDeletedOnceMoved()
    {
        await using AuditLogHarness log = await CreateAsync(o => o.JournalSegmentBytes = 4_096);

        await log.RecordAsync(200);

        Assert.InRange(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.journal").Length, 0, 1);
        Assert.Equal(0, log.Writer.Unmoved);
        Assert.Equal(200, (await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p1", Count: 500), CancellationToken.None)).Rows.Count);
        await log.CheckpointAsync();
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Journal_ProcessDurability_AnswersAfterTheWriteAndTheFileHoldsEveryRecord()
    {
        await using AuditLogHarness log = await CreateAsync(o =>
        {
            o.ReadDurability = AuditReadDurability.Process;
            o.MoveInterval = TimeSpan.FromMinutes(1);
        });

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            log.Writer.RecordAsync(AuditLogHarness.Read("p" + (i % 4), "dr-q", DateTimeOffset.UtcNow), CancellationToken.None).AsTask()));

        // Answered before any move: the journal file alone already holds all forty, whole.
        string segment = Assert.Single(Directory.GetFiles(log.Options.ResolvedJournalPath, "*.journal"));
        byte[] data;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            data = new byte[file.Length];
            file.ReadExactly(data);
        }

        // The open segment is mapped whole: after its mark and frames, only the zeros of its unwritten part.
        Assert.Equal(AuditJournalFrames.SegmentMark, BitConverter.ToInt32(data, 0));
        Assert.Equal(40, AuditJournalFrames.Read(data, out int consumed).Count);
        Assert.False(data.AsSpan(consumed).ContainsAnyExcept((byte)0));
        await log.CheckpointAsync();
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(40, report.Rows);
    }

    [SkippableFact]
    public async Task Journal_ProcessDurability_FlushesOnItsOwnScheduleNotPerRecord()
    {
        await using AuditLogHarness log = await CreateAsync(o =>
        {
            o.ReadDurability = AuditReadDurability.Process;
            o.MoveInterval = TimeSpan.FromMinutes(1);
        });
        AuditJournal journal = log.Writer.Journal!;

        // Sequential records, each answered before the next: chasing each one with an fsync flushed once per few records.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 400; i++)
        {
            await log.Writer.RecordAsync(AuditLogHarness.Read("p" + (i % 4), "dr-q", DateTimeOffset.UtcNow), CancellationToken.None);
        }

        TimeSpan elapsed = clock.Elapsed;
        Assert.InRange(journal.Flushes, 0, 2 + (long)(elapsed.TotalMilliseconds / 100));

        // ... and the flush does come, on the flusher's schedule.
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (journal.Flushes == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(journal.Flushes > 0, "the journal was never flushed after the appends");
    }

    [SkippableFact]
    public async Task Journal_HeldByAnotherNode_IsRefused()
    {
        await using AuditLogHarness log = await CreateAsync();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => AuditJournal.Open(log.Options.ResolvedJournalPath, 4_096));

        Assert.Contains("NodeId", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Checkpoint_CoversOnlyWhatTheLogHolds()
    {
        await using AuditLogHarness log = await CreateAsync(o => o.MoveInterval = TimeSpan.FromMinutes(1));
        await log.Writer.RecordAsync(AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(1, log.Writer.Unmoved);

        await log.CheckpointAsync();

        Assert.Equal(0, log.Writer.Unmoved);
        LaneHead chain = Assert.Single(log.Lanes.TakeHeads());
        Assert.Equal(1, chain.Sequence);
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task PeriodicCheckpoints_LeaveTheJournalToTheMover()
    {
        await using AuditLogHarness log = await CreateAsync(o =>
        {
            o.MoveInterval = TimeSpan.FromMinutes(1);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(50);
        });
        await log.Writer.RecordAsync(AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow), CancellationToken.None);

        // Several periodic checkpoints pass; one that moved the journal first would have taken the record along.
        await Task.Delay(400);
        Assert.Equal(1, log.Writer.Unmoved);
    }

    private static List<AuditRecord> Reads(int count, string patient) =>
        [.. Enumerable.Range(0, count).Select(i => AuditLogHarness.Read(patient, "dr-z", DateTimeOffset.UtcNow.AddMilliseconds(i)))];
}

public sealed class SqliteAuditJournalTests : AuditJournalTests
{
    private protected override Task<AuditLogHarness> CreateAsync(Action<AuditLogOptions>? configure = null) =>
        AuditLogHarness.SqliteAsync(configure: configure);
}

/// <summary>The journal suite on PostgreSQL: one database for the class, a fresh schema per test.</summary>
[Collection(OpenHip.Testing.PostgreSqlTests.Name)]
public sealed class PostgreSqlAuditJournalTests(OpenHip.Testing.PostgreSqlTestDatabase database)
    : AuditJournalTests, IClassFixture<OpenHip.Testing.PostgreSqlTestDatabase>
{
    private protected override async Task<AuditLogHarness> CreateAsync(Action<AuditLogOptions>? configure = null) =>
        await AuditLogHarness.PostgreSqlAsync(await database.CreateSchemaAsync(), configure: configure);
}
