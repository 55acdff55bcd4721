using Hl7.Fhir.Model;
using OpenHip.Fhir.Storage;
using OpenHip.Modules.Terminology.Loading;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Loading;

/// <summary>Loaded content through the engine's write path into a real SQLite store and back.</summary>
public sealed class TerminologyWriterTests
{
    private static readonly TerminologyLoadSettings LabCodes = new() { Url = "http://hospital.example.cn/fhir/CodeSystem/lab" };

    [Fact]
    public async Task Write_EveryFixture_RoundTripsThroughTheStore()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path);
        List<LoadedResource> loaded =
        [
            .. TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes),
            .. TerminologyFileLoader.Load(Fixtures.Icd10, new TerminologyLoadSettings()),
            .. TerminologyFileLoader.Load(Fixtures.Loinc, new TerminologyLoadSettings()),
            .. TerminologyFileLoader.Load(Fixtures.ConceptMap, new TerminologyLoadSettings { Url = "http://hospital.example.cn/fhir/ConceptMap/lab-to-loinc" }),
            .. TerminologyFileLoader.Load(Fixtures.NpmPackage, new TerminologyLoadSettings()),
        ];

        TerminologyWriteSummary summary = await db.Writer.WriteAsync(loaded, TerminologyTestStore.Context, CancellationToken.None);

        Assert.Equal(new TerminologyWriteSummary(loaded.Count, 0, 0), summary);
        Assert.Equal(loaded.Count, await db.HistoryTotalAsync());
        CodeSystem lab = await db.ReadAsync<CodeSystem>("lab");
        Assert.Equal("Fasting glucose", lab.Concept[0].Concept[1].Concept[0].Display);
        Assert.Equal("1", lab.Meta!.VersionId);
        CodeSystem icd = await db.ReadAsync<CodeSystem>("icd-10");
        Assert.Equal(["A00.0", "A00.1", "A00.9"], icd.Concept[0].Concept[0].Concept[0].Concept.Select(c => c.Code));
        CodeSystem loinc = await db.ReadAsync<CodeSystem>("loinc");
        Assert.Equal(5, loinc.Concept.Count);
        Assert.Equal(2, (await db.ReadAsync<ConceptMap>("lab-to-loinc")).Group.Count);
        Assert.Equal("example-mrn", (await db.ReadAsync<NamingSystem>("example-mrn")).Id);
        Assert.Equal("abo-to-snomed", (await db.ReadAsync<ConceptMap>("abo-to-snomed")).Id);

        // Written through the engine, so indexed like any resource: CodeSystem?code=8867-4 finds LOINC.
        IReadOnlyList<string> found = await db.Store.FindByTokensAsync(
            new TokenQuery("CodeSystem", [new TokenClause("code", [new TokenValue(null, "8867-4")])], 2), CancellationToken.None);
        Assert.Equal(["loinc"], found);
    }

    [Fact]
    public async Task Write_SameContentTwice_WritesNothingTheSecondTime()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path);
        await db.Writer.WriteAsync(TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes), TerminologyTestStore.Context, CancellationToken.None);

        TerminologyWriteSummary again = await db.Writer.WriteAsync(TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes), TerminologyTestStore.Context, CancellationToken.None);

        Assert.Equal(new TerminologyWriteSummary(0, 0, 1), again);
        Assert.Equal(1, await db.HistoryTotalAsync());
    }

    [Fact]
    public async Task Write_ChangedContent_AddsOneVersion()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path);
        await db.Writer.WriteAsync(TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes), TerminologyTestStore.Context, CancellationToken.None);
        using TemporaryFile edited = Fixtures.Temporary("lab.csv", File.ReadAllText(Fixtures.LocalCodes) + "URINE-PRO,Urine protein,URINE,,尿蛋白,Urine protein,urine\n");

        TerminologyWriteSummary summary = await db.Writer.WriteAsync(TerminologyFileLoader.Load(edited.Path, LabCodes), TerminologyTestStore.Context, CancellationToken.None);

        Assert.Equal(new TerminologyWriteSummary(0, 1, 0), summary);
        CodeSystem lab = await db.ReadAsync<CodeSystem>("lab");
        Assert.Equal("2", lab.Meta!.VersionId);
        Assert.Equal("URINE-PRO", Assert.Single(lab.Concept[1].Concept).Code);
    }

    [Fact]
    public async Task Write_IdHeldByAnotherCanonical_RefusesBeforeWritingAnything()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path);
        await db.Writer.WriteAsync(TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes), TerminologyTestStore.Context, CancellationToken.None);
        List<LoadedResource> next =
        [
            .. TerminologyFileLoader.Load(Fixtures.Loinc, new TerminologyLoadSettings()),
            .. TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes with { Url = "http://other.example.cn/CodeSystem/lab" }),
        ];

        TerminologyLoadException ex = await Assert.ThrowsAsync<TerminologyLoadException>(() => db.Writer.WriteAsync(next, TerminologyTestStore.Context, CancellationToken.None));

        Assert.Contains("CodeSystem/lab already exists for http://hospital.example.cn/fhir/CodeSystem/lab", ex.Problem, StringComparison.Ordinal);
        Assert.Equal(1, await db.HistoryTotalAsync());
    }

    [Fact]
    public async Task Write_TwoResourcesWithOneId_RefusesBeforeWritingAnything()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path);
        List<LoadedResource> twice = [.. TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes), .. TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes)];

        await Assert.ThrowsAsync<TerminologyLoadException>(() => db.Writer.WriteAsync(twice, TerminologyTestStore.Context, CancellationToken.None));

        Assert.Equal(0, await db.HistoryTotalAsync());
    }

    [Fact]
    public async Task Write_OverTheSizeLimit_RefusesBeforeWritingAnything()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        await using TerminologyTestStore db = await TerminologyTestStore.OpenAsync(database.Path, new TerminologyOptions { MaxResourceBytes = 2048 });
        List<LoadedResource> loaded = [.. TerminologyFileLoader.Load(Fixtures.ConceptMap, new TerminologyLoadSettings { Url = "http://x.example/ConceptMap/m" }), .. TerminologyFileLoader.Load(Fixtures.Loinc, new TerminologyLoadSettings())];

        TerminologyLoadException ex = await Assert.ThrowsAsync<TerminologyLoadException>(() => db.Writer.WriteAsync(loaded, TerminologyTestStore.Context, CancellationToken.None));

        Assert.Equal(Fixtures.Loinc, ex.File);
        Assert.Contains("MaxResourceBytes", ex.Problem, StringComparison.Ordinal);
        Assert.Equal(0, await db.HistoryTotalAsync());
    }

    [Fact]
    public async Task Write_TwoNodesLoadingTheSameContentAtOnce_EndWithOneVersionOfEach()
    {
        using TemporaryFile database = TerminologyTestStore.NewDatabase();
        string path = database.Path;
        await using TerminologyTestStore a = await TerminologyTestStore.OpenAsync(path);
        await using TerminologyTestStore b = await TerminologyTestStore.OpenAsync(path);
        List<LoadedResource> Content() =>
        [
            .. TerminologyFileLoader.Load(Fixtures.NpmPackage, new TerminologyLoadSettings()),
            .. TerminologyFileLoader.Load(Fixtures.LocalCodes, LabCodes),
            .. TerminologyFileLoader.Load(Fixtures.Loinc, new TerminologyLoadSettings()),
        ];

        TerminologyWriteSummary[] summaries = await Task.WhenAll(
            Task.Run(() => a.Writer.WriteAsync(Content(), TerminologyTestStore.Context, CancellationToken.None)),
            Task.Run(() => b.Writer.WriteAsync(Content(), TerminologyTestStore.Context, CancellationToken.None)));

        Assert.Equal(6, summaries.Sum(s => s.Created));
        Assert.All(summaries, s => Assert.Equal(0, s.Updated));
        Assert.Equal(6, await a.HistoryTotalAsync());
    }
}
