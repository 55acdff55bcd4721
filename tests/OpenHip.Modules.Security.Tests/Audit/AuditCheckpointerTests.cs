using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>When checkpoints are taken, and how the series survives restarts and a witness that missed one.</summary>
public sealed class AuditCheckpointerTests
{
    [Fact]
    public async Task Threshold_AfterEveryNEvents_TakesACheckpointWithoutWaitingForTheInterval()
    {
        // The interval is an hour: only the event count can trigger this one.
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync(checkpointEvery: 5);

        await log.RecordAsync(5);

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(log.WitnessPath) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(File.Exists(log.WitnessPath), "a checkpoint was written within the deadline");
        AuditCheckpoint checkpoint = AuditCheckpoint.ParseLine((await File.ReadAllLinesAsync(log.WitnessPath))[0]);
        Assert.Equal(1, checkpoint.Number);
        Assert.True(checkpoint.SignatureIsValid());
    }

    [Fact]
    public async Task Restart_ContinuesTheSeriesOnNewChainsAndAFinalCheckpointClosesTheOld()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        await log.RecordAsync(2);

        await log.RestartAsync();
        await log.RecordAsync(4);
        await log.CheckpointAsync();

        AuditCheckpoint[] series = [.. (await File.ReadAllLinesAsync(log.WitnessPath)).Select(AuditCheckpoint.ParseLine)];
        Assert.Equal([1L, 2L, 3L], series.Select(c => c.Number));
        Assert.True(series[1].Final);
        Assert.Equal(5, Assert.Single(series[1].Chains).Sequence);
        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(2, report.Chains);
    }

    [Fact]
    public async Task Restart_WitnessMissedTheLastCheckpoint_SendsItAgainInOrder()
    {
        await using AuditLogHarness log = await AuditLogHarness.SqliteAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();
        await log.RecordAsync(3);
        await log.CheckpointAsync();

        // A crash between the database's copy and the witness append: the witness lacks checkpoint 2.
        string[] lines = await File.ReadAllLinesAsync(log.WitnessPath);
        await File.WriteAllLinesAsync(log.WitnessPath, lines[..1]);
        await log.RestartAsync(clean: false);

        AuditCheckpoint[] series = [.. (await File.ReadAllLinesAsync(log.WitnessPath)).Select(AuditCheckpoint.ParseLine)];
        Assert.Equal([1L, 2L], series.Select(c => c.Number));
        Assert.True((await log.VerifyAsync()).Intact);
    }
}
