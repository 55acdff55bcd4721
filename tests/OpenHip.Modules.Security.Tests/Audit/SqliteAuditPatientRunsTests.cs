using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// SQLite's audit patient index as runs of key pages: each append's keys written as a new run, runs of a level merged
/// whole pages at a time over the following writer turns into one run of a higher level, and every patient's lookup
/// seeing each of their events once, in order, at every commit along the way.
/// </summary>
public sealed class SqliteAuditPatientRunsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachAppend_WritesItsKeysAsANewRunInKeyOrder()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientRunsPerLevel: 10);
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 4, "p2", T0);
        await AppendAsync(log, lane, 300, "p1", T0.AddMinutes(1));

        Assert.Equal([(1L, 4L), (2L, 300L)], await RunsAsync(log));
        Assert.Equal(2, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_hash_page WHERE run = 2"));
        Assert.Equal(0, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_recent") + await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient"));
        IReadOnlyList<StoredAuditRow> p1 = await PatientRowsAsync(log, "p1");
        Assert.Equal(Enumerable.Range(5, 300).Select(i => (long)i), p1.Select(r => r.Row.Sequence));
        Assert.Equal(4, (await PatientRowsAsync(log, "p2")).Count);
        Assert.Equal(304, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    public async Task Append_OfRowsInStatementsOfSeveral_GivesEachPatientKeyItsOwnEvent(int rows)
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
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

    [Fact]
    public async Task RunsOfALevel_MergeWholePagesPerTurn_IntoOneRunOfAHigherLevelWithEveryKeyFoundOnceMeanwhile()
    {
        // Runs of 2,000 keys are of level 6 (3^6 = 729 <= 2,000 < 2,187); three make one of 6,000 (level 7), and three of
        // those one of 18,000, more than the 12,000 keys a turn of 2,000 may copy: that merge spans two turns.
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientRunsPerLevel: 3);
        var lane = new AuditLane("node-r.1");
        var random = new Random(5);
        string[] patients = [.. Enumerable.Range(0, 50).Select(i => "0192f5a4-7b1e-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))];
        var expected = patients.ToDictionary(p => p, _ => new List<long>());
        long sequence = 0;
        bool sawMergeUnderWay = false;
        for (int append = 0; append < 10; append++)
        {
            var records = new List<AuditRecord>();
            for (int i = 0; i < 2_000; i++)
            {
                string patient = patients[random.Next(patients.Length)];
                records.Add(AuditLogHarness.Read(patient, "dr-a", T0.AddSeconds(sequence)));
                expected[patient].Add(++sequence);
            }

            await AppendAsync(log, lane, records);

            sawMergeUnderWay |= await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_hash_run WHERE keys IS NULL") == 1;
            foreach (string patient in patients.Take(5))
            {
                Assert.Equal(expected[patient], (await PatientRowsAsync(log, patient, 100_000)).Select(r => r.Row.Sequence));
            }
        }

        Assert.True(sawMergeUnderWay);
        Assert.Equal([18_000L, 2_000L], (await RunsAsync(log)).Select(r => r.Keys));
        Assert.Equal(0, await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_hash_page WHERE run NOT IN (SELECT run FROM audit_patient_hash_run)"));
        foreach (string patient in patients)
        {
            Assert.Equal(expected[patient], (await PatientRowsAsync(log, patient, 100_000)).Select(r => r.Row.Sequence));
        }

        Assert.Equal(20_000, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public async Task ManySmallAppends_AcrossLevels_EveryPatientSeesExactlyTheirEventsAfterEveryCommit(int seed)
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(auditPatientRunsPerLevel: 3);
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

        // Merged into runs of 81 keys or more, and merges kept pace: at most a level's merge of runs per level.
        List<(long Run, long Keys)> runs = await RunsAsync(log);
        Assert.True(runs.Max(r => r.Keys) >= 81, string.Join(" ", runs));
        int levels = (int)Math.Floor(Math.Log(runs.Max(r => r.Keys), 3) + 1e-9) + 1;
        Assert.InRange(runs.Count, 1, 3 * levels);
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task KeysOfEarlierVersions_InRowRunsGatheredAndIdPages_AreFoundCountedAndVerified()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 3, "p1", T0);
        await AppendAsync(log, lane, 2, "p1", T0.AddMinutes(1));
        await AppendAsync(log, lane, 2, "p1", T0.AddMinutes(2));
        await AppendAsync(log, lane, 1, "p1", T0.AddMinutes(3));

        // As migration 6's writer left them: the first run's keys in a row run, the second's gathered; as migration 7's
        // left them, the third's in a page of ids.
        AuditPatientKey[] third = [.. await Task.WhenAll(new[] { 6, 7 }.Select(async seq => new AuditPatientKey(
            "p1",
            await log.SqliteScalarAsync($"SELECT recorded FROM audit_log WHERE seq = {seq}"),
            await log.SqliteScalarAsync($"SELECT aid FROM audit_log WHERE seq = {seq}"))))];
        await log.TamperAsync(
            $"""
            INSERT INTO audit_patient_run (run, keys) VALUES (1, 3);
            INSERT INTO audit_patient (run, patient_id, recorded, aid) SELECT 1, 'p1', recorded, aid FROM audit_log WHERE seq <= 3;
            INSERT INTO audit_patient_recent (aid, patient_id, recorded) SELECT aid, 'p1', recorded FROM audit_log WHERE seq IN (4, 5);
            INSERT INTO audit_patient_page_run (run, keys) VALUES (1, 2);
            INSERT INTO audit_patient_page (run, page_no, first_patient, last_patient, page) VALUES (1, 1, 'p1', 'p1', x'{Convert.ToHexString(AuditKeyPage.Encode(third))}');
            DELETE FROM audit_patient_hash_page WHERE run IN (1, 2, 3);
            DELETE FROM audit_patient_hash_run WHERE run IN (1, 2, 3);
            """);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), (await PatientRowsAsync(log, "p1")).Select(r => r.Row.Sequence));
        Assert.Equal(8, await log.Store.CountPatientEntriesAsync(CancellationToken.None));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task PatientView_EventsListedUnderTheSameHashButNamingAnotherPatient_AreLeftOutOnEveryPage()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        await log.RecordAsync(3, "p1", at: T0);
        await log.RecordAsync(4, "p2", at: T0.AddMinutes(1));
        await log.RecordAsync(2, "p1", at: T0.AddMinutes(2));

        // As two ids with one hash would leave them: p2's events listed under p1's too.
        long p2 = HashedPatientKey.Of("p2");
        await log.EditPatientKeysAsync(key => key.Hash == p2 ? [key, key.ForPatient("p1")] : [key]);
        Assert.Equal(9, (await PatientRowsAsync(log, "p1")).Count);

        var reader = new AuditEventReader(log.Store, log.Writer);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            AuditEventPage page = await reader.SearchAsync(new AuditQuery(Patient: "p1", Count: 2, After: cursor), CancellationToken.None);
            Assert.InRange(page.Events.Count, cursor is null ? 1 : 0, 2);
            seen.AddRange(page.Events.Select(r => System.Text.Encoding.UTF8.GetString(r.Json.Span)));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.All(seen, json => Assert.Contains("Patient/p1", json, StringComparison.Ordinal));
        Assert.All(seen, json => Assert.DoesNotContain("Patient/p2", json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_RunHiddenFromTheRunsTable_ReportsTheFirstEventHiddenFromThePatient()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 4, "p1", T0);
        await AppendAsync(log, lane, 2, "p1", T0.AddMinutes(1));

        await log.TamperAsync("DELETE FROM audit_patient_hash_run WHERE run = 1");

        Assert.Equal(2, (await PatientRowsAsync(log, "p1")).Count);
        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", "node-r.1", 1L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [Fact]
    public async Task Verify_PageDamaged_ReportsTheIndexAsUnreadable()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        var lane = new AuditLane("node-r.1");
        await AppendAsync(log, lane, 4, "p1", T0);
        long p1 = HashedPatientKey.Of("p1");

        await log.TamperAsync($"DELETE FROM audit_patient_hash_page WHERE run = 1; INSERT INTO audit_patient_hash_page VALUES (1, 1, {p1}, {p1}, x'02ff')");

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal("patient-index", finding.Kind);
        Assert.Contains("Page 1 of run 1", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_UpdateThroughTheDatabase_IsRefused()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        await AppendAsync(log, new AuditLane("node-r.1"), 2, "p1", T0);

        var refused = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => log.ExecuteAsync("UPDATE audit_patient_hash_page SET last_hash = 9"));
        Assert.Contains("never updated", refused.Message, StringComparison.Ordinal);
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
        long count = await log.SqliteScalarAsync("SELECT COUNT(*) FROM audit_patient_hash_run");
        var runs = new List<(long, long)>();
        for (int i = 0; i < count; i++)
        {
            runs.Add((
                await log.SqliteScalarAsync($"SELECT run FROM audit_patient_hash_run ORDER BY run LIMIT 1 OFFSET {i}"),
                await log.SqliteScalarAsync($"SELECT keys FROM audit_patient_hash_run ORDER BY run LIMIT 1 OFFSET {i}")));
        }

        return runs;
    }

    private static async Task<IReadOnlyList<StoredAuditRow>> PatientRowsAsync(AuditLogHarness log, string patient, int count = 1_000) =>
        (await log.Store.SearchAuditAsync(new AuditQuery(Patient: patient, Count: count), CancellationToken.None)).Rows;
}
