using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// SQLite's audit patient keys: gathered in audit_patient_recent in arrival order, merged into audit_patient once
/// enough have gathered; lookups and verification see every key wherever it is.
/// </summary>
public sealed class SqliteAuditPatientMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Keys_BelowTheMergePoint_WaitInTheRecentTableAndAreFound()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 100);
        await log.RecordAsync(7, patient: "p1", at: T0);
        await log.RecordAsync(3, patient: "p2", at: T0.AddMinutes(1));

        Assert.Equal((0L, 10L), await CountsAsync(log));
        Assert.Equal(7, (await PatientRowsAsync(log, "p1")).Count);
        Assert.Equal(10, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Keys_ReachingTheMergePoint_MoveIntoTheIndexAndKeepTheirOrder()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 10);
        await log.RecordAsync(7, patient: "p1", at: T0);
        await log.RecordAsync(3, patient: "p2", at: T0.AddMinutes(1));
        Assert.Equal((10L, 0L), await CountsAsync(log));

        await log.RecordAsync(2, patient: "p1", at: T0.AddMinutes(2));
        Assert.Equal((10L, 2L), await CountsAsync(log));

        // One patient's events come back oldest first across both tables, and each once.
        IReadOnlyList<StoredAuditRow> p1 = await PatientRowsAsync(log, "p1");
        Assert.Equal(9, p1.Count);
        Assert.Equal(p1.OrderBy(r => r.Row.Recorded).ThenBy(r => r.Id).Select(r => r.Id), p1.Select(r => r.Id));
        Assert.All(p1, r => Assert.Equal(["p1"], AuditPayload.Read(r.Row.Payload.Span).Patients));
        Assert.Equal(12, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Verify_MergedEntryDeleted_ReportsTheEventHiddenFromThePatient()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 1);
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();
        Assert.Equal((10L, 0L), await CountsAsync(log));

        await log.TamperAsync("DELETE FROM audit_patient WHERE aid = (SELECT aid FROM audit_log WHERE chain_id = @chain AND seq = 4)", ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", chain, 4L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    public async Task Append_OfRowsInStatementsOfSeveral_GivesEachPatientKeyItsOwnEvent(int rows)
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 1_000);
        var lane = new AuditLane("node-t.1");
        IReadOnlyList<AuditRow> appended = lane.Extend(
            [.. Enumerable.Range(0, rows).Select(i => AuditLogHarness.Read("p" + i, "dr-" + (i % 3), T0.AddSeconds(i)) with { Patients = ["p" + i, "shared"] })]);

        await log.Store.AppendAsync(appended, CancellationToken.None);

        for (int i = 0; i < rows; i++)
        {
            StoredAuditRow only = Assert.Single(await PatientRowsAsync(log, "p" + i));
            Assert.Equal((long)i + 1, only.Row.Sequence);
            Assert.Equal("dr-" + (i % 3), only.Row.Agent);
        }

        Assert.Equal(Enumerable.Range(1, rows).Select(i => (long)i), (await PatientRowsAsync(log, "shared")).Select(r => r.Row.Sequence));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    private static async Task<(long Merged, long Recent)> CountsAsync(AuditLogHarness log) =>
        (await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient"), await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_recent"));

    private static async Task<IReadOnlyList<StoredAuditRow>> PatientRowsAsync(AuditLogHarness log, string patient) =>
        (await log.Store.SearchAuditAsync(new AuditQuery(Patient: patient, Count: 100), CancellationToken.None)).Rows;
}
