using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// SQLite's audit patient index as sorted runs: gathered keys written as a new run at the end of the index, runs of a
/// level merged a chunk per writer turn into one run of the next, and every patient's lookup seeing each of their
/// events once, in order, at every commit along the way.
/// </summary>
public sealed class SqliteAuditPatientRunsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Keys_ReachingTheMergePoint_BecomeANewRunAfterEveryOther()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 4, auditPatientRunsPerLevel: 3);
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 4, "p1", T0);
        await AppendAsync(log, lane, 4, "p2", T0.AddMinutes(1));

        Assert.Equal([(1L, 4L), (2L, 4L)], await RunsAsync(log));
        Assert.Equal(4, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient WHERE run = 2 AND patient_id = 'p2'"));
        Assert.Equal(0, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_recent"));
        Assert.Equal(4, (await PatientRowsAsync(log, "p1")).Count);
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task RunsOfALevel_MergeAFewChunksPerTurn_IntoOneRunOfTheNextWithEveryKeyFoundOnceMeanwhile()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 4, auditPatientRunsPerLevel: 3);
        var lane = new AuditLane("node-r.1");

        // A turn of one key may copy up to 2 x 3 keys: chunks of 4 (the merge point) until that is reached.
        for (int turn = 1; turn <= 12; turn++)
        {
            await AppendAsync(log, lane, 1, turn % 2 == 0 ? "p2" : "p1", T0.AddMinutes(turn));
            Assert.Equal(turn, (await PatientRowsAsync(log, "p1")).Count + (await PatientRowsAsync(log, "p2")).Count);
        }

        // The third run completed the level: a merge into run 4 started and copied two chunks.
        Assert.Equal(3, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_run WHERE merging_into = 4"));
        Assert.Equal(8, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient WHERE run = 4"));
        Assert.Equal(4, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient WHERE run < 4"));

        // The next turn copies the rest and, finding the sources empty, ends the merge.
        await AppendAsync(log, lane, 1, "p3", T0.AddMinutes(13));
        Assert.Equal([(4L, 12L)], await RunsAsync(log));
        Assert.Equal(0, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient WHERE run < 4"));
        IReadOnlyList<StoredAuditRow> p1 = await PatientRowsAsync(log, "p1");
        Assert.Equal(6, p1.Count);
        Assert.Equal(p1.OrderBy(r => r.Row.Recorded).ThenBy(r => r.Id).Select(r => r.Id), p1.Select(r => r.Id));
        Assert.Equal(13, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Verify_RunHiddenFromTheRunsTable_ReportsTheFirstEventHiddenFromThePatient()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 4, auditPatientRunsPerLevel: 3);
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 4, "p1", T0);
        await AppendAsync(log, lane, 2, "p1", T0.AddMinutes(1));

        await log.TamperAsync("DELETE FROM audit_patient_run WHERE run = 1");

        Assert.Equal(2, (await PatientRowsAsync(log, "p1")).Count);
        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", "node-r.1", 1L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public async Task ManyAppends_AcrossLevels_EveryPatientSeesExactlyTheirEventsAfterEveryCommit(int seed)
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientMergeAt: 5, auditPatientRunsPerLevel: 3);
        var random = new Random(seed);
        var lane = new AuditLane("node-r.1");
        string[] patients = ["p0", "p1", "p2", "p3", "p4", "p5"];
        var expected = patients.ToDictionary(p => p, _ => new List<long>());
        long sequence = 0;
        for (int append = 0; append < 70; append++)
        {
            var records = new List<AuditRecord>();
            for (int i = random.Next(1, 7); i > 0; i--)
            {
                string[] named = [.. patients.OrderBy(_ => random.Next()).Take(random.Next(1, 3))];
                records.Add(AuditLogHarness.Read(named[0], "dr-a", T0.AddSeconds(sequence)) with { Patients = named });
                sequence++;
                foreach (string patient in named)
                {
                    expected[patient].Add(sequence);
                }
            }

            await AppendAsync(log, lane, records);

            foreach (string patient in patients)
            {
                Assert.Equal(expected[patient], (await PatientRowsAsync(log, patient)).Select(r => r.Row.Sequence));
            }
        }

        Assert.Equal(expected.Values.Sum(v => v.Count), await log.Store.CountPatientEntriesAsync(CancellationToken.None));

        // Merged beyond the first level (runs of 45 keys or more), and no level holds more runs than it merges.
        Assert.True(await log.SqliteScalarAsync("SELECT MAX(keys) FROM audit_patient_run") >= 45);
        Assert.True(await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_run") <= 3 * 3);
        Assert.True((await log.VerifyAsync()).Intact);
    }

    private static Task AppendAsync(AuditLogHarness log, AuditLane lane, int count, string patient, DateTimeOffset at) =>
        AppendAsync(log, lane, [.. Enumerable.Range(0, count).Select(i => AuditLogHarness.Read(patient, "dr-a", at.AddSeconds(i)))]);

    // One writer turn: the store appends a call's rows in one transaction.
    private static async Task AppendAsync(AuditLogHarness log, AuditLane lane, IReadOnlyList<AuditRecord> records)
    {
        IReadOnlyList<AuditRow> rows = lane.Extend(records);
        await log.Store.AppendAsync(rows, CancellationToken.None);
        lane.Advance(rows);
    }

    private static async Task<List<(long Run, long Keys)>> RunsAsync(AuditLogHarness log)
    {
        long count = await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_run");
        var runs = new List<(long, long)>();
        for (int i = 0; i < count; i++)
        {
            runs.Add((
                await log.SqliteScalarAsync($"SELECT run FROM audit_patient_run ORDER BY run LIMIT 1 OFFSET {i}"),
                await log.SqliteScalarAsync($"SELECT keys FROM audit_patient_run ORDER BY run LIMIT 1 OFFSET {i}")));
        }

        return runs;
    }

    private static async Task<IReadOnlyList<StoredAuditRow>> PatientRowsAsync(AuditLogHarness log, string patient) =>
        (await log.Store.SearchAuditAsync(new AuditQuery(Patient: patient, Count: 1_000), CancellationToken.None)).Rows;
}
