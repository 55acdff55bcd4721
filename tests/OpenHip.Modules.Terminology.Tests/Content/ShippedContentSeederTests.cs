using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Loading;
using OpenHip.Modules.Terminology.Tests.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Content;

/// <summary>The first-start load: once per store, remembered in the store, safe when two nodes start together.</summary>
public sealed class ShippedContentSeederTests
{
    private static readonly TerminologyOptions NationalOnly = new() { LoadCoreContent = false };

    [Fact]
    public async Task Seed_FirstAndSecondStart_SecondStartWritesNothing()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        string path = database.Path;
        int shipped;
        await using (TerminologyTestStore first = await TerminologyTestStore.OpenAsync(path))
        {
            TerminologyWriteSummary? loaded = await first.Seeder.SeedAsync(CancellationToken.None);

            // One R4 core v2 table has a concept without a code (v2-tables.xml, concept[444]); the catalog's check
            // refuses it, as it would any CodeSystem that cannot be compiled, and the rest loads.
            shipped = CoreSpecificationContent.Load().Count + NationalContent.Load().Count - 1;
            Assert.Equal(new TerminologyWriteSummary(shipped, 0, 0, Refused: 1), loaded);
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
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(
            database.Path, new TerminologyOptions { LoadCoreContent = false, LoadNationalContent = false });

        Assert.Null(await db.Seeder.SeedAsync(CancellationToken.None));

        Assert.Equal(0, await db.HistoryTotalAsync());
        Assert.Null(await db.Store.GetStateAsync(ShippedContentSeeder.StateKey, CancellationToken.None));
    }

    [Fact]
    public async Task Seed_ContentChangedSinceLastStart_WritesOnlyWhatChanged()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path, NationalOnly);
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
    public async Task Seed_AnotherCodeSystemAtAShippedId_KeepsItAndLoadsTheRest()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path, NationalOnly);
        var mine = new CodeSystem { Id = "cn-sex", Url = "http://hospital.example.cn/CodeSystem/sex", Status = PublicationStatus.Active, Content = CodeSystemContentMode.Complete };
        await db.Writer.WriteAsync([new LoadedResource(mine, "deployer")], TerminologyTestStore.Context, CancellationToken.None);

        TerminologyWriteSummary? summary = await db.Seeder.SeedAsync(CancellationToken.None);

        int shipped = NationalContent.Load().Count;
        Assert.Equal(new TerminologyWriteSummary(shipped - 1, 0, 0, 1), summary);
        Assert.Equal("http://hospital.example.cn/CodeSystem/sex", (await db.ReadAsync<CodeSystem>("cn-sex")).Url);
        Assert.Equal(shipped, await db.HistoryTotalAsync());
    }

    [Fact]
    public async Task NationalContent_WithProfileValidationOnWrite_IsAllAccepted()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(
            database.Path, NationalOnly, new OpenHip.Fhir.Resources.FhirEngineOptions { ValidateProfilesOnWrite = true });
        List<string> refused = [];

        await db.Writer.WriteAsync(NationalContent.Load(), TerminologyTestStore.Context, CancellationToken.None, e => refused.Add(e.Message));

        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    [Fact]
    public async Task Seed_TwoNodesStartingTogether_EndWithOneVersionOfEach()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        string path = database.Path;
        await using TerminologyTestStore a = await TerminologyTestStore.OpenAsync(path, NationalOnly);
        await using TerminologyTestStore b = await TerminologyTestStore.OpenAsync(path, NationalOnly);

        await Task.WhenAll(Task.Run(() => a.Seeder.SeedAsync(CancellationToken.None)), Task.Run(() => b.Seeder.SeedAsync(CancellationToken.None)));

        Assert.Equal(NationalContent.Load().Count, await a.HistoryTotalAsync());
        Assert.Equal("1", (await b.ReadAsync<CodeSystem>("cn-ethnic-group")).Meta!.VersionId);
    }
}
