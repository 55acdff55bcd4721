using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// Each way of changing the audit trail behind the server's back is detected by verification and located at the first
/// affected record (chain, sequence, time). Written once, run on every store.
/// </summary>
public abstract class AuditTamperTests
{
    private protected abstract Task<AuditLogHarness> CreateAsync();

    [SkippableFact]
    public async Task Verify_UntouchedLogWithCheckpoints_IsIntact()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(5);
        await log.CheckpointAsync();
        await log.RecordAsync(5);
        await log.CheckpointAsync();
        await log.RecordAsync(3); // after the last checkpoint: not yet witnessed, still verified as a chain

        AuditVerificationReport report = await log.VerifyAsync();

        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(13, report.Rows);
        Assert.Equal(2, report.Checkpoints);
    }

    [SkippableFact]
    public async Task Verify_PayloadModified_ReportsModifiedAtThatRecord()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await log.TamperAsync("UPDATE audit_log SET payload = @payload WHERE chain_id = @chain AND seq = 4",
            ("payload", "{\"v\":1,\"interaction\":\"read\",\"who\":\"someone-else\"}"u8.ToArray()), ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 4L), (finding.Kind, finding.ChainId, finding.Sequence));
        Assert.NotNull(finding.Recorded);
    }

    [SkippableFact]
    public async Task Verify_RecordedTimeModified_ReportsModifiedAtThatRecord()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        string chain = await log.OnlyChainAsync();

        // The time a search by date and the resident's view go by, moved a day back; the payload keeps its own.
        await log.TamperAsync("UPDATE audit_log SET recorded = recorded - 86400000 WHERE chain_id = @chain AND seq = 4", ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 4L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_ChainRenamed_ReportsItsFirstRecord()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(5);
        string chain = await log.OnlyChainAsync();

        // Every row intact and linked, under another writer's name: only the chain's genesis still names the old one.
        await log.TamperAsync("UPDATE audit_log SET chain_id = 'node-b.renamed' WHERE chain_id = @chain", ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("reordered", "node-b.renamed", 1L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_ChainWrittenBeforeVersion4_StillVerifies_AndAnEditedTimeIsLocated()
    {
        await using AuditLogHarness log = await CreateAsync();
        const string chain = "node-a.version3";
        var rows = new List<Fhir.Audit.AuditRow>();
        ReadOnlyMemory<byte> previous = AuditRowHash.OldGenesis;
        for (int seq = 1; seq <= 5; seq++)
        {
            Fhir.Audit.AuditRecord record = AuditLogHarness.Read("p1", "dr-a", DateTimeOffset.UtcNow.AddMilliseconds(seq));
            byte[] payload = EarlierAuditPayloads.Write(record, 3);
            long recorded = record.When.ToUnixTimeMilliseconds();
            byte[] hash = AuditRowHash.Compute(previous.Span, chain, seq, recorded, payload);
            rows.Add(new Fhir.Audit.AuditRow(chain, seq, DateTimeOffset.FromUnixTimeMilliseconds(recorded), "dr-a", ["p1"], payload, hash, previous));
            previous = hash;
        }

        await log.Store.AppendAsync(rows, CancellationToken.None);
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(5, report.Rows);

        await log.TamperAsync("UPDATE audit_log SET recorded = recorded + 1 WHERE chain_id = @chain AND seq = 3", ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 3L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_RowDeleted_ReportsDeletedAtTheMissingSequence()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await log.DeleteRowsAsync(chain, "seq = 6");

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("deleted", chain, 6L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_TwoRowsSwapped_ReportsReorderedAtTheFirst()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        // Swap the positions of rows 3 and 4 (each keeps its content and hashes).
        await log.TamperAsync(
            """
            UPDATE audit_log SET seq = -1 WHERE chain_id = @chain AND seq = 3;
            UPDATE audit_log SET seq = 3 WHERE chain_id = @chain AND seq = 4;
            UPDATE audit_log SET seq = 4 WHERE chain_id = @chain AND seq = -1;
            """,
            ("chain", chain));

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(chain, finding.ChainId);
        Assert.Equal(3L, finding.Sequence);
        Assert.Contains(finding.Kind, new[] { "reordered", "modified" });
    }

    [SkippableFact]
    public async Task Verify_TailTruncatedAfterCheckpoint_ReportsTruncatedFromTheFirstMissingRow()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        // A clean cut: what is left is a perfect chain, only the signed checkpoint knows it went further.
        await log.DeleteRowsAsync(chain, "seq > 7");

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("truncated", chain, 8L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_ChainRewrittenWithValidHashes_ReportsModifiedSinceTheLastMatchingCheckpoint()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(4);
        await log.CheckpointAsync();
        await log.RecordAsync(4);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        // An attacker who knows the scheme rewrites row 6 and recomputes every hash after it: the chain is consistent
        // again, but checkpoint 2 signed another head.
        var rows = new List<Fhir.Audit.StoredAuditRow>();
        await foreach (Fhir.Audit.StoredAuditRow row in log.Store.StreamChainAsync(chain, CancellationToken.None))
        {
            rows.Add(row);
        }

        ReadOnlyMemory<byte> previous = rows[4].Row.Hash;
        for (int i = 5; i < rows.Count; i++)
        {
            Fhir.Audit.AuditRow row = rows[i].Row;
            byte[] payload = i == 5 ? "{\"v\":1,\"interaction\":\"read\"}"u8.ToArray() : row.Payload.ToArray();
            byte[] hash = AuditRowHash.Compute(previous.Span, row.ChainId, row.Sequence, row.Recorded.ToUnixTimeMilliseconds(), payload);
            await log.TamperAsync("UPDATE audit_log SET payload = @payload, hash = @hash, prev_hash = @prev WHERE chain_id = @chain AND seq = @seq",
                ("payload", payload), ("hash", hash), ("prev", previous.ToArray()), ("chain", chain), ("seq", row.Sequence));
            previous = hash;
        }

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("modified", chain, 5L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_OldWitnessFileRestored_ReportsWitnessBehind()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        string[] old = await File.ReadAllLinesAsync(log.WitnessPath);
        await log.RecordAsync(3);
        await log.CheckpointAsync();

        // The attacker puts back the witness as it was after checkpoint 1 and cuts the log to match it.
        await File.WriteAllLinesAsync(log.WitnessPath, old);
        string chain = await log.OnlyChainAsync();
        await log.DeleteRowsAsync(chain, "seq > 3");

        AuditVerificationReport report = await log.VerifyAsync();

        AuditFinding finding = Assert.Single(report.Findings);
        Assert.Equal("witness-behind", finding.Kind);
        Assert.Contains("node-a#2", finding.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_CheckpointTakenWhileVerifying_IsIntact()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        string[] first = await File.ReadAllLinesAsync(log.WitnessPath);
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        string[] second = await File.ReadAllLinesAsync(log.WitnessPath);

        // A running server met by `openhip audit verify`: checkpoint 2's copy was in the log, its witness line not yet
        // in the file, when verify first read the witness. Regression: this was reported as witness-behind (tampered).
        var reads = new Queue<string[]>([first, second]);
        AuditVerificationReport report = await new AuditLogVerifier(log.Store).VerifyAsync(
            _ => Task.FromResult<IReadOnlyList<string>?>(reads.Dequeue()), log.Key.PublicKey, CancellationToken.None);

        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(2, report.Checkpoints);
    }

    [SkippableFact]
    public async Task Verify_OldCheckpointReplayedIntoWitness_ReportsBrokenSeries()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        string[] lines = await File.ReadAllLinesAsync(log.WitnessPath);

        await File.AppendAllLinesAsync(log.WitnessPath, [lines[0]]);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal("checkpoint-series", finding.Kind);
        Assert.Contains("node-a#1", finding.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_WitnessLineRemoved_ReportsBrokenSeries()
    {
        await using AuditLogHarness log = await CreateAsync();
        for (int i = 0; i < 3; i++)
        {
            await log.RecordAsync(2);
            await log.CheckpointAsync();
        }

        string[] lines = await File.ReadAllLinesAsync(log.WitnessPath);
        await File.WriteAllLinesAsync(log.WitnessPath, [lines[0], lines[2]]);

        AuditVerificationReport report = await log.VerifyAsync();

        Assert.Contains(report.Findings, f => f.Kind == "checkpoint-series" && f.Detail.Contains("node-a#3", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Kind == "witness-behind" && f.Detail.Contains("node-a#2", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Verify_CheckpointSignatureAltered_ReportsSignature()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        string line = (await File.ReadAllLinesAsync(log.WitnessPath))[0];

        // A checkpoint whose content was edited (a lower sequence, to hide a truncation) no longer matches its signature.
        await File.WriteAllTextAsync(log.WitnessPath, line.Replace("\"seq\":3", "\"seq\":2", StringComparison.Ordinal) + "\n");

        AuditVerificationReport report = await log.VerifyAsync();

        Assert.Contains(report.Findings, f => f.Kind == "checkpoint-signature");
    }

    [SkippableFact]
    public async Task Verify_CheckpointSignedWithAnotherKey_ReportsKey()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        AuditCheckpoint genuine = AuditCheckpoint.ParseLine((await File.ReadAllLinesAsync(log.WitnessPath))[0]);

        AuditCheckpoint forged = AuditCheckpoint.Create(genuine.Node, genuine.Number, genuine.Time, genuine.Previous, AuditSigningKey.Generate(), genuine.Chains, final: false);
        await File.WriteAllTextAsync(log.WitnessPath, forged.ToLine() + "\n");

        AuditVerificationReport report = await log.VerifyAsync();

        Assert.Contains(report.Findings, f => f.Kind == "checkpoint-key");
    }

    [SkippableFact]
    public async Task AuditTables_UpdateOrDeleteThroughTheDatabase_AreRefused()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(1);

        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("UPDATE audit_log SET agent = 'x'"));
        await Assert.ThrowsAnyAsync<Exception>(() => log.ExecuteAsync("DELETE FROM audit_log"));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Verify_PatientIndexEntryDeleted_ReportsTheEventHiddenFromThePatient()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        await log.CheckpointAsync();
        string chain = await log.OnlyChainAsync();

        await log.EditPatientKeysAsync(chain, "seq = 7", _ => []);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", chain, 7L), (finding.Kind, finding.ChainId, finding.Sequence));
        Assert.Contains("p1", finding.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_PatientIndexEntryMisdated_ReportsIt()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        string chain = await log.OnlyChainAsync();

        await log.EditPatientKeysAsync(chain, "seq = 3", key => [key with { Recorded = key.Recorded - 86_400_000 }]);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal(("patient-index", chain, 3L), (finding.Kind, finding.ChainId, finding.Sequence));
    }

    [SkippableFact]
    public async Task Verify_PatientIndexEntryAdded_ReportsTheExtraEntry()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(10);
        string chain = await log.OnlyChainAsync();

        await log.EditPatientKeysAsync(chain, "seq = 5", key => [key, key.ForPatient("p2")]);

        AuditFinding finding = Assert.Single((await log.VerifyAsync()).Findings);
        Assert.Equal("patient-index", finding.Kind);
        Assert.Contains("1 entries more", finding.Detail, StringComparison.Ordinal);
    }
}
