using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The log's lookups: by patient, by agent, in a time window, paged with a cursor; one row by id.</summary>
public abstract class AuditLogQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private protected abstract Task<AuditLogHarness> CreateAsync();

    [SkippableFact]
    public async Task Search_PatientInWindow_PagesOldestFirstWithoutOverlap()
    {
        await using AuditLogHarness log = await ThreeReadersAsync();

        List<StoredAuditRow> seen = await log.SearchAllPagesAsync(new AuditQuery(Patient: "p1", From: T0, Until: T0.AddHours(1), Count: 3));

        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
        Assert.Equal(seen.OrderBy(r => r.Row.Recorded).ThenBy(r => r.Id).Select(r => r.Id), seen.Select(r => r.Id));
        Assert.All(seen, r => Assert.Equal("dr-a", r.Row.Agent));
    }

    [SkippableFact]
    public async Task Search_NewestFirst_PagesBackWithoutOverlap()
    {
        await using AuditLogHarness log = await ThreeReadersAsync();

        List<StoredAuditRow> p1 = await log.SearchAllPagesAsync(new AuditQuery(Patient: "p1", Count: 3, NewestFirst: true));
        List<StoredAuditRow> everyone = await log.SearchAllPagesAsync(new AuditQuery(Until: T0.AddHours(1), Count: 2, NewestFirst: true));
        List<StoredAuditRow> oldestFirst = await log.SearchAllPagesAsync(new AuditQuery(Patient: "p1", Count: 3));

        Assert.Equal(9, p1.Count);
        Assert.Equal(p1.OrderByDescending(r => r.Row.Recorded).ThenByDescending(r => r.Id).Select(r => r.Id), p1.Select(r => r.Id));
        Assert.Equal(oldestFirst.Select(r => r.Id).Reverse(), p1.Select(r => r.Id));
        Assert.Equal("dr-b", p1[0].Row.Agent);
        Assert.Equal(10, everyone.Count);
        Assert.Equal(everyone.OrderByDescending(r => r.Row.Recorded).ThenByDescending(r => r.Id).Select(r => r.Id), everyone.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task Search_ByAgentAndById_FindTheRows()
    {
        await using AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(2, patient: "p1", who: "dr-a", at: T0);
        await log.RecordAsync(1, patient: "p3", who: "dr-b", at: T0);

        AuditPage byAgent = await log.Store.SearchAuditAsync(new AuditQuery(Agent: "dr-b"), CancellationToken.None);
        StoredAuditRow row = Assert.Single(byAgent.Rows);
        StoredAuditRow? read = await log.Store.ReadAuditAsync(row.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(row.Row.Payload.ToArray(), read.Row.Payload.ToArray());
        Assert.Equal(["p3"], Features.Audit.AuditPayload.Read(read.Row.Payload.Span).Patients);
        Assert.Null(await log.Store.ReadAuditAsync(row.Id + 1000, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Search_ForeignCursor_IsBadRequest()
    {
        await using AuditLogHarness log = await CreateAsync();

        FhirException error = await Assert.ThrowsAsync<FhirException>(() => log.Store.SearchAuditAsync(new AuditQuery(After: "x"), CancellationToken.None));

        Assert.Equal(FhirErrorKind.BadRequest, error.Kind);
    }

    /// <summary>7 reads of p1 by dr-a, 3 of p2 by dr-a a minute later, 2 of p1 by dr-b two hours later.</summary>
    private async Task<AuditLogHarness> ThreeReadersAsync()
    {
        AuditLogHarness log = await CreateAsync();
        await log.RecordAsync(7, patient: "p1", who: "dr-a", at: T0);
        await log.RecordAsync(3, patient: "p2", who: "dr-a", at: T0.AddMinutes(1));
        await log.RecordAsync(2, patient: "p1", who: "dr-b", at: T0.AddHours(2));
        return log;
    }
}
