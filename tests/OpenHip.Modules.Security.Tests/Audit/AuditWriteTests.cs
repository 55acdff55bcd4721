using System.Text;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>Write audits commit in the data's transaction: all or nothing, and a failed commit does not advance the chain.</summary>
public abstract class AuditWriteTests
{
    private protected abstract Task<AuditLogHarness> CreateAsync();

    [SkippableFact]
    public async Task Commit_WritesOneChainedRowPerWrite_WithTheCallerAndPatients()
    {
        await using AuditLogHarness log = await CreateAsync();
        ChangesetCommitter commits = Committer(log);
        var caller = new FhirRequestContext("http://x/fhir", "dr-b", "org-2", "c-1");

        await commits.CommitAsync(new Changeset([Create("Observation", "o1", "p9"), Create("Observation", "o2", "p9")]), caller, CancellationToken.None);

        AuditPage page = await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p9"), CancellationToken.None);
        Assert.Equal([1L, 2L], page.Rows.Select(r => r.Row.Sequence));
        AuditRecord first = AuditPayload.Read(page.Rows[0].Row.Payload.Span);
        Assert.Equal(("create", "dr-b", "Observation/o1/_history/1", 201, "c-1"), (first.Interaction, first.Who, first.Resource, first.Outcome, first.CorrelationId));
        Assert.Equal(2, caller.AuditedWrites.Count);
    }

    [SkippableFact]
    public async Task Commit_Conflicting_LeavesNoAuditRowAndTheChainContinuesWithoutGap()
    {
        await using AuditLogHarness log = await CreateAsync();
        ChangesetCommitter commits = Committer(log);
        await commits.CommitAsync(Changeset.Of(Create("Patient", "a", "a")), null, CancellationToken.None);

        // Expects version 5 of a resource at version 1: refused before anything is written.
        ResourceWrite stale = Create("Patient", "a", "a") with { VersionId = 6, ExpectedCurrentVersion = 5, Method = WriteMethod.Update };
        await Assert.ThrowsAsync<VersionConflictException>(() => commits.CommitAsync(Changeset.Of(stale), null, CancellationToken.None));
        await commits.CommitAsync(Changeset.Of(Create("Patient", "b", "b")), null, CancellationToken.None);
        await log.CheckpointAsync();

        AuditPage page = await log.Store.SearchAuditAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(2, page.Rows.Count);
        Assert.Equal([1L, 2L], page.Rows.Select(r => r.Row.Sequence));
        Assert.True((await log.VerifyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Commit_ReadsAndWritesInterleaved_AllVerify()
    {
        await using AuditLogHarness log = await CreateAsync(lanes: 3);
        ChangesetCommitter commits = Committer(log);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await commits.CommitAsync(Changeset.Of(Create("Patient", "p" + i, "p" + i)), null, CancellationToken.None);
            await log.Writer.RecordAsync(AuditLogHarness.Read("p" + i, "dr-c", DateTimeOffset.UtcNow), CancellationToken.None);
        }));
        await log.CheckpointAsync();

        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(40, report.Rows);
    }

    [SkippableFact]
    public async Task Append_ManyRowsAtOnce_EachPatientKeyPointsAtItsOwnRow()
    {
        await using AuditLogHarness log = await CreateAsync();
        var lane = new AuditLane("node-x.bulk");

        // More than the store's multi-row statements hold, with rows naming no patient, one, or two (the same one twice).
        IReadOnlyList<AuditRow> rows = lane.Extend([.. Enumerable.Range(0, 75).Select(i => AuditLogHarness.Read("p" + i, "dr-m", DateTimeOffset.UtcNow) with
        {
            Patients = (i % 10) switch { 3 => [], 7 => ["p" + i, "p" + i], _ => ["p" + i] },
        })]);
        await log.Store.AppendAsync(rows, CancellationToken.None);

        for (int i = 0; i < 75; i++)
        {
            AuditPage page = await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p" + i), CancellationToken.None);
            Assert.Equal(i % 10 == 3 ? [] : [i + 1L], page.Rows.Select(r => r.Row.Sequence));
        }
    }

    [SkippableFact]
    public async Task Move_ManyReadsOfFewPatientsBesideWrites_EachPatientListsItsOwnAtTheirTimesAndAllVerify()
    {
        await using AuditLogHarness log = await CreateAsync(lanes: 3);
        ChangesetCommitter commits = Committer(log);
        DateTimeOffset t0 = DateTimeOffset.UtcNow.AddMinutes(-10);

        // One move of hundreds of rows (the store commits it on its own), each patient named by many of them at times out
        // of row order, so the patient keys the store sorts are not in the order the rows were numbered.
        Task reads = Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            log.Writer.RecordAsync(AuditLogHarness.Read("p" + (i % 7), "dr-" + (i % 3), t0.AddMilliseconds(i * 37 % 300)), CancellationToken.None).AsTask()));
        Task writes = Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            commits.CommitAsync(Changeset.Of(Create("Observation", "o" + i, "p" + (i % 7))), null, CancellationToken.None)));
        await Task.WhenAll(reads, writes);
        await log.Writer.FlushAsync(CancellationToken.None);
        await log.CheckpointAsync();

        for (int p = 0; p < 7; p++)
        {
            AuditPage page = await log.Store.SearchAuditAsync(new AuditQuery(Patient: "p" + p, Count: 1_000), CancellationToken.None);
            int patient = p;
            Assert.Equal(Enumerable.Range(0, 300).Count(i => i % 7 == patient) + Enumerable.Range(0, 10).Count(i => i % 7 == patient), page.Rows.Count);
            Assert.All(page.Rows, r => Assert.Equal(["p" + patient], AuditPayload.Read(r.Row.Payload.Span).Patients));
            Assert.Equal(page.Rows.OrderBy(r => r.Row.Recorded).ThenBy(r => r.Id).Select(r => r.Id), page.Rows.Select(r => r.Id));
        }

        AuditVerificationReport report = await log.VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(310, report.Rows);
    }

    private protected abstract Task<AuditLogHarness> CreateAsync(int lanes);

    private static ChangesetCommitter Committer(AuditLogHarness log) =>
        new((IFhirStore)log.Store, [], new OutboxSignal(), TimeProvider.System, log.Lanes);

    private static ResourceWrite Create(string type, string id, string patient) =>
        new(type, id, 1, 0, DateTimeOffset.UtcNow, WriteMethod.Create, Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}"}"""), null, [], [patient]);
}
