using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// SQLite keeps a large journal move as blocks of events: lookups by id, patient, agent and time, paging, chain heads,
/// recovery and <c>audit verify</c> see the same events as if each had its own row, and tampering with a block is found
/// and located.
/// </summary>
public sealed class SqliteAuditBlockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Search_OverRowsAndBlocks_EitherWay_GivesWhatFilteringEveryEventGives()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(5, patient: "p1", who: "dr-a", at: T0.AddSeconds(20));

        // Out of time order, several agents and patients, spanning more than one block's time limit.
        for (int i = 0; i < 300; i++)
        {
            await log.Writer.RecordAsync(
                AuditLogHarness.Read($"p{i % 4}", $"dr-{i % 3}", T0.AddMilliseconds((i * 37 % 300) * 400)), CancellationToken.None);
        }

        await log.Writer.FlushAsync(CancellationToken.None);
        await log.RecordAsync(3, patient: "p2", who: "dr-b", at: T0.AddSeconds(30));
        Assert.Equal(8, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_log"));
        Assert.True(await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_block") >= 3);

        List<StoredAuditRow> all = await EveryEventAsync(log);
        Assert.Equal(308, all.Count);
        Assert.Equal(308, all.Select(e => e.Id).Distinct().Count());

        AuditQuery[] queries =
        [
            new(Count: 7),
            new(Patient: "p1", Count: 5),
            new(Agent: "dr-1", Count: 4),
            new(Agent: "dr-b", Count: 2),
            new(Patient: "p2", Agent: "dr-2", Count: 3),
            new(Patient: "p2", Agent: "dr-b", Count: 1),
            new(From: T0.AddSeconds(20), Until: T0.AddSeconds(50), Count: 10),
            new(Agent: "dr-0", From: T0.AddSeconds(60), Count: 50),
            new(Patient: "p3", From: T0.AddSeconds(100), Until: T0.AddSeconds(110), Count: 1),
            new(Count: 1000),
        ];
        foreach (AuditQuery query in queries)
        {
            long[] expected = [.. all
                .Where(e => (query.Patient is null || AuditPayload.Read(e.Row.Payload.Span).Patients.Contains(query.Patient))
                    && (query.Agent is null || e.Row.Agent == query.Agent)
                    && (query.From is null || e.Row.Recorded >= query.From)
                    && (query.Until is null || e.Row.Recorded < query.Until))
                .OrderBy(e => e.Row.Recorded).ThenBy(e => e.Id)
                .Select(e => e.Id)];
            Assert.True(expected.Length > 0, query.ToString());
            Assert.Equal(expected, (await log.SearchAllPagesAsync(query)).Select(r => r.Id));
            Assert.Equal(expected.Reverse(), (await log.SearchAllPagesAsync(query with { NewestFirst = true })).Select(r => r.Id));
        }
    }

    [Fact]
    public async Task Read_EachEventOfABlock_ById()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(130, patient: "p1", who: "dr-a", at: T0);
        Assert.Equal(0, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_log"));

        foreach (StoredAuditRow e in await EveryEventAsync(log))
        {
            StoredAuditRow? read = await log.Store.ReadAuditAsync(e.Id, CancellationToken.None);
            Assert.NotNull(read);
            Assert.Equal(e.Row.Sequence, read.Row.Sequence);
            Assert.Equal(e.Row.Payload.ToArray(), read.Row.Payload.ToArray());
        }

        long last = await log.SqliteScalarAsync("SELECT MAX(first_aid + count - 1) FROM audit_block");
        Assert.Null(await log.Store.ReadAuditAsync(last + 1, CancellationToken.None));

        // The rows after the blocks take ids after theirs.
        await log.RecordAsync(2, at: T0.AddMinutes(5));
        Assert.Equal(last + 1, await log.SqliteScalarAsync("SELECT MIN(aid) FROM audit_log"));
    }

    [Fact]
    public async Task ChainHeadsAndRecovery_CountBlockEventsOnce()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(100, at: T0);
        await log.CheckpointAsync();

        // A crash leaves the moved records in the journal too: the next start must not move them again.
        await log.RestartAsync(clean: false);
        await log.RecordAsync(70, at: T0.AddMinutes(1));
        await log.CheckpointAsync();

        // The restarted node writes a chain of its own.
        IReadOnlyList<AuditChainHead> heads = await log.Store.ListChainsAsync(CancellationToken.None);
        Assert.Equal([(100L, 100L), (70L, 70L)], heads.Select(h => (h.Sequence, h.Count)).OrderDescending());
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(170, report.Rows);
        Assert.Equal(170, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Verify_EventInABlockModified_ReportsThatEvent()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(200, at: T0);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        List<StoredAuditRow> events = await EveryEventAsync(log);
        StoredAuditRow target = events.Single(e => e.Row.Sequence == 150);
        byte[] changed = target.Row.Payload.ToArray();
        changed[^1] ^= 0x01;
        await RewriteBlockAsync(log, events, target.Row.Sequence, e => e.Row.Sequence == 150 ? e.Row with { Payload = changed } : e.Row);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 150L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task Verify_BlockBytesBroken_ReportsTheBlock()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(200, at: T0);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await log.TamperAsync("UPDATE audit_block SET body = substr(body, 1, length(body) - 5) WHERE chain_id = @chain AND first_seq = 129", ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 129L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task Verify_MiddleBlockDeleted_ReportsDeletedFromItsFirstEvent()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(300, at: T0);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await DeleteBlockAsync(log, chain, 129);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("deleted", chain, 129L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task Verify_LastBlockDeletedAfterCheckpoint_ReportsTruncated()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(200, at: T0);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await DeleteBlockAsync(log, chain, 129);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("truncated", chain, 129L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task Verify_PatientKeyOfABlockEventDeleted_ReportsTheEvent()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(100, at: T0);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();
        long aid = (await EveryEventAsync(log)).Single(e => e.Row.Sequence == 42).Id;

        await log.EditPatientKeysAsync(key => key.Aid == aid ? [] : [key]);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", chain, 42L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task BlockTables_UpdateOrDeleteThroughTheDatabase_AreRefused()
    {
        await using AuditLogHarness log = await HarnessAsync();
        await log.RecordAsync(100, at: T0);

        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("UPDATE audit_block SET count = 1"));
        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("DELETE FROM audit_block"));
        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("UPDATE audit_block_agent SET agent = 'x'"));
        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("DELETE FROM audit_block_agent"));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    // Records move only when a test flushes, so a test's batch moves whole (as blocks from 64 records on).
    private static Task<AuditLogHarness> HarnessAsync() =>
        AuditLogHarness.SqliteAsync(configure: o => o.MoveInterval = TimeSpan.FromHours(1));

    private static async Task<List<StoredAuditRow>> EveryEventAsync(AuditLogHarness log)
    {
        var all = new List<StoredAuditRow>();
        foreach (AuditChainHead chain in await log.Store.ListChainsAsync(CancellationToken.None))
        {
            await foreach (StoredAuditRow e in log.Store.StreamChainAsync(chain.ChainId, CancellationToken.None))
            {
                all.Add(e);
            }
        }

        return all;
    }

    /// <summary>Deletes the chain's block starting at <paramref name="firstSeq"/> with its agent and patient keys.</summary>
    private static async Task DeleteBlockAsync(AuditLogHarness log, string chain, long firstSeq)
    {
        long firstAid = await log.SqliteScalarAsync($"SELECT first_aid FROM audit_block WHERE chain_id = '{chain}' AND first_seq = {firstSeq}");
        long count = await log.SqliteScalarAsync($"SELECT count FROM audit_block WHERE first_aid = {firstAid}");
        await log.EditPatientKeysAsync(key => key.Aid >= firstAid && key.Aid < firstAid + count ? [] : [key]);
        await log.TamperAsync(
            """
            DELETE FROM audit_block_agent WHERE first_aid IN (SELECT first_aid FROM audit_block WHERE chain_id = @chain AND first_seq = @seq);
            DELETE FROM audit_block WHERE chain_id = @chain AND first_seq = @seq;
            """,
            ("chain", chain),
            ("seq", firstSeq));
    }

    /// <summary>Replaces the body of the block holding <paramref name="sequence"/> by one encoded from the changed events.</summary>
    private static async Task RewriteBlockAsync(AuditLogHarness log, List<StoredAuditRow> events, long sequence, Func<StoredAuditRow, AuditRow> change)
    {
        long firstSeq = await log.SqliteScalarAsync(
            $"SELECT first_seq FROM audit_block WHERE first_seq <= {sequence} AND first_seq + count > {sequence}");
        long count = await log.SqliteScalarAsync($"SELECT count FROM audit_block WHERE first_seq = {firstSeq}");
        AuditRow[] rows = [.. events.Where(e => e.Row.Sequence >= firstSeq && e.Row.Sequence < firstSeq + count).OrderBy(e => e.Row.Sequence).Select(change)];
        byte[] body = AuditBlock.Encode(rows, 0, rows.Length).Body;
        await log.TamperAsync("UPDATE audit_block SET body = @body WHERE first_seq = @seq", ("body", body), ("seq", firstSeq));
    }
}
