using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Loading;
using OpenHip.Modules.Terminology.Tests.Loading;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Terminology.Tests.Content;

/// <summary>The first-start load: once per store, remembered in the store, safe when two nodes start together.</summary>
public sealed class ShippedContentSeederTests
{
    private static readonly TerminologyOptions NationalOnly = new() { LoadCoreContent = false };

    [Fact]
    public async Task Seed_FirstAndSecondStart_SecondStartWritesNothing()
    {
        string path = TerminologyTestStore.NewDatabasePath();
        int shipped;
        await using (TerminologyTestStore first = await TerminologyTestStore.OpenAsync(path))
        {
            TerminologyWriteSummary? loaded = await first.Seeder.SeedAsync(CancellationToken.None);

            shipped = CoreSpecificationContent.Load().Count + NationalContent.Load().Count;
            Assert.Equal(new TerminologyWriteSummary(shipped, 0, 0), loaded);
            Assert.NotNull(await first.Store.GetStateAsync(ShippedContentSeeder.StateKey, CancellationToken.None));
            Assert.Equal("female", (await first.ReadAsync<CodeSystem>("administrative-gender")).Concept[1].Code);
            Assert.Equal(34, (await first.ReadAsync<CodeSystem>("cn-administrative-division")).Concept.Count);
        }

        await using TerminologyTestStore second = await TerminologyTestStore.OpenAsync(path);
        Assert.Null(await second.Seeder.SeedAsync(CancellationToken.None));
        Assert.Equal(shipped, await second.HistoryTotalAsync());
    }

    [Fact]
    public async Task Seed_SwitchedOff_WritesNothing()
    {
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(
            TerminologyTestStore.NewDatabasePath(), new TerminologyOptions { LoadCoreContent = false, LoadNationalContent = false });

        Assert.Null(await db.Seeder.SeedAsync(CancellationToken.None));

        Assert.Equal(0, await db.HistoryTotalAsync());
        Assert.Null(await db.Store.GetStateAsync(ShippedContentSeeder.StateKey, CancellationToken.None));
    }

    [Fact]
    public async Task Seed_ContentChangedSinceLastStart_WritesOnlyWhatChanged()
    {
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(TerminologyTestStore.NewDatabasePath(), NationalOnly);
        await db.Seeder.SeedAsync(CancellationToken.None);
        int shipped = NationalContent.Load().Count;

        // As after an upgrade: the store recorded other content, and one resource differs from what ships now.
        await db.Store.SetStateAsync(ShippedContentSeeder.StateKey, "cn@older", CancellationToken.None);
        CodeSystem sex = await db.ReadAsync<CodeSystem>("cn-sex");
        sex.Concept[0].Display = "edited";
        await db.Writer.WriteAsync([new LoadedResource(sex, "edit")], TerminologyTestStore.Context, CancellationToken.None);

        TerminologyWriteSummary? upgrade = await db.Seeder.SeedAsync(CancellationToken.None);

        Assert.Equal(new TerminologyWriteSummary(0, 1, shipped - 1), upgrade);
        Assert.Equal("未知的性别", (await db.ReadAsync<CodeSystem>("cn-sex")).Concept[0].Display);
        Assert.Equal(NationalContent.Fingerprint, await db.Store.GetStateAsync(ShippedContentSeeder.StateKey, CancellationToken.None));
    }

    [Fact]
    public async Task Seed_TwoNodesStartingTogether_EndWithOneVersionOfEach()
    {
        string path = TerminologyTestStore.NewDatabasePath();
        await using TerminologyTestStore a = await TerminologyTestStore.OpenAsync(path, NationalOnly);
        await using TerminologyTestStore b = await TerminologyTestStore.OpenAsync(path, NationalOnly);

        await Task.WhenAll(Task.Run(() => a.Seeder.SeedAsync(CancellationToken.None)), Task.Run(() => b.Seeder.SeedAsync(CancellationToken.None)));

        Assert.Equal(NationalContent.Load().Count, await a.HistoryTotalAsync());
        Assert.Equal("1", (await b.ReadAsync<CodeSystem>("cn-ethnic-group")).Meta!.VersionId);
    }
}
