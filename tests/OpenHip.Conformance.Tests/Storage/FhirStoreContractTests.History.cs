using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    /// <summary>p1 v1..v3 (v3 a delete), p2 v1, o1 v1, p1 deleted last; lastUpdated increases with every write.</summary>
    private async Task SeedHistoryAsync()
    {
        await CommitAsync(Create("Patient", "p1", At(0)));
        await CommitAsync(Create("Observation", "o1", At(1)));
        await CommitAsync(Update("Patient", "p1", 2, At(2)));
        await CommitAsync(Create("Patient", "p2", At(3)));
        await CommitAsync(Delete("Patient", "p1", 3, At(4)));
    }

    private static List<string> Describe(HistoryPage page) =>
        [.. page.Entries.Select(e => $"{e.Type}/{e.Id}/{e.VersionId}")];

    [SkippableFact]
    public async Task ReadHistory_InstanceLevel_ReturnsItsVersionsNewestFirstIncludingDelete()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery("Patient", "p1", null, 10, null), None);

        Assert.Equal(["Patient/p1/3", "Patient/p1/2", "Patient/p1/1"], Describe(page));
        Assert.True(page.Entries[0].IsDeleted);
        Assert.Equal(3, page.Total);
        Assert.Null(page.NextBefore);
    }

    [SkippableFact]
    public async Task ReadHistory_TypeLevel_ReturnsOnlyThatTypeNewestFirst()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery("Patient", null, null, 10, null), None);

        Assert.Equal(["Patient/p1/3", "Patient/p2/1", "Patient/p1/2", "Patient/p1/1"], Describe(page));
        Assert.Equal(4, page.Total);
    }

    [SkippableFact]
    public async Task ReadHistory_SystemLevel_ReturnsEveryVersionNewestFirst()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery(null, null, null, 10, null), None);

        Assert.Equal(["Patient/p1/3", "Patient/p2/1", "Patient/p1/2", "Observation/o1/1", "Patient/p1/1"], Describe(page));
        Assert.Equal(5, page.Total);
        Assert.Null(page.NextBefore);
    }

    [SkippableFact]
    public async Task ReadHistory_PagedByTwo_WalksEveryVersionOnceWithConstantTotal()
    {
        await SeedHistoryAsync();
        var seen = new List<string>();
        long? before = null;
        int pages = 0;

        do
        {
            HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery(null, null, null, 2, before), None);
            Assert.Equal(5, page.Total);
            Assert.True(page.Entries.Count <= 2);
            seen.AddRange(Describe(page));
            before = page.NextBefore;
            pages++;
        }
        while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["Patient/p1/3", "Patient/p2/1", "Patient/p1/2", "Observation/o1/1", "Patient/p1/1"], seen);
    }

    [SkippableFact]
    public async Task ReadHistory_ExactlyOnePageOfResults_HasNoNextCursor()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery("Patient", "p1", null, 3, null), None);

        Assert.Equal(3, page.Entries.Count);
        Assert.Null(page.NextBefore);
    }

    [SkippableFact]
    public async Task ReadHistory_NextPageAfterNewWrites_IsUnaffectedByThem()
    {
        await SeedHistoryAsync();
        HistoryPage first = await Store.ReadHistoryAsync(new HistoryQuery(null, null, null, 2, null), None);

        await CommitAsync(Create("Patient", "late", At(10)));
        HistoryPage second = await Store.ReadHistoryAsync(new HistoryQuery(null, null, null, 2, first.NextBefore), None);

        Assert.Equal(["Patient/p1/2", "Observation/o1/1"], Describe(second));
    }

    [SkippableFact]
    public async Task ReadHistory_Since_ReturnsVersionsAtOrAfterItAndCountsOnlyThose()
    {
        await SeedHistoryAsync();

        HistoryPage system = await Store.ReadHistoryAsync(new HistoryQuery(null, null, At(2), 10, null), None);
        HistoryPage type = await Store.ReadHistoryAsync(new HistoryQuery("Patient", null, At(3), 10, null), None);
        HistoryPage instance = await Store.ReadHistoryAsync(new HistoryQuery("Patient", "p1", At(1), 10, null), None);

        Assert.Equal(["Patient/p1/3", "Patient/p2/1", "Patient/p1/2"], Describe(system));
        Assert.Equal(3, system.Total);
        Assert.Equal(["Patient/p1/3", "Patient/p2/1"], Describe(type));
        Assert.Equal(2, type.Total);
        Assert.Equal(["Patient/p1/3", "Patient/p1/2"], Describe(instance));
        Assert.Equal(2, instance.Total);
    }

    [SkippableFact]
    public async Task ReadHistory_SinceWithPaging_KeepsBothFilters()
    {
        await SeedHistoryAsync();

        HistoryPage first = await Store.ReadHistoryAsync(new HistoryQuery(null, null, At(1), 2, null), None);
        HistoryPage second = await Store.ReadHistoryAsync(new HistoryQuery(null, null, At(1), 2, first.NextBefore), None);

        Assert.Equal(["Patient/p1/3", "Patient/p2/1"], Describe(first));
        Assert.Equal(["Patient/p1/2", "Observation/o1/1"], Describe(second));
        Assert.Equal(4, second.Total);
        Assert.Null(second.NextBefore);
    }

    [SkippableFact]
    public async Task ReadHistory_CountZero_ReturnsTotalWithoutEntries()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery("Patient", null, null, 0, null), None);

        Assert.Empty(page.Entries);
        Assert.Equal(4, page.Total);
        Assert.Null(page.NextBefore);
    }

    [SkippableFact]
    public async Task ReadHistory_UnknownResource_IsEmpty()
    {
        await SeedHistoryAsync();

        HistoryPage page = await Store.ReadHistoryAsync(new HistoryQuery("Patient", "nobody", null, 10, null), None);

        Assert.Empty(page.Entries);
        Assert.Equal(0, page.Total);
    }
}
