using Hl7.Fhir.Model;
using OpenHip.Commands;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Tests.Terminology;

/// <summary>`openhip terminology load`: exit codes, and what lands in the store `serve` would open.</summary>
public sealed class TerminologyLoadCommandTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Terminology", "Fixtures");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public TerminologyLoadCommandTests() => Directory.CreateDirectory(_root);

    private string DataDirectory => Path.Combine(_root, "data");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Load_CsvTwice_ExitsZeroAndWritesOneVersion()
    {
        string[] args = ["terminology", "load", Path.Combine(Fixtures, "local-lab-codes.csv"), "--url", "http://hospital.example.cn/fhir/CodeSystem/lab", "--data-dir", DataDirectory];

        Assert.Equal(0, await RunAsync(args));
        Assert.Equal(0, await RunAsync(args));

        await using SqliteFhirStore store = await OpenStoreAsync();
        Assert.Equal(1, (await store.ReadHistoryAsync(new HistoryQuery(null, null, null, 1, null), CancellationToken.None)).Total);
        StoredResource stored = (await store.ReadCurrentAsync("CodeSystem", "lab", CancellationToken.None))!;
        Assert.Equal(8, ((CodeSystem)FhirCodec.ParseStored(stored.Json.Span)).Count);
    }

    [Fact]
    public async Task Load_Folder_LoadsEveryFileByItsFormat()
    {
        string folder = Path.Combine(_root, "release");
        Directory.CreateDirectory(folder);
        foreach (string file in new[] { "example.terminology-0.1.0.tgz", "Loinc.csv", "icd10-sample.xml" })
        {
            File.Copy(Path.Combine(Fixtures, file), Path.Combine(folder, file));
        }

        Assert.Equal(0, await RunAsync(["terminology", "load", folder, "--data-dir", DataDirectory]));

        await using SqliteFhirStore store = await OpenStoreAsync();
        Assert.Equal(6, (await store.ReadHistoryAsync(new HistoryQuery(null, null, null, 1, null), CancellationToken.None)).Total);
        Assert.NotNull(await store.ReadCurrentAsync("CodeSystem", "loinc", CancellationToken.None));
        Assert.NotNull(await store.ReadCurrentAsync("CodeSystem", "icd-10", CancellationToken.None));
        Assert.NotNull(await store.ReadCurrentAsync("NamingSystem", "example-mrn", CancellationToken.None));
    }

    [Fact]
    public async Task Load_BadInput_ExitsTwoAndWritesNothing()
    {
        Assert.Equal(0, await RunAsync(["terminology", "load", Path.Combine(Fixtures, "Loinc.csv"), "--data-dir", DataDirectory]));
        string folder = Path.Combine(_root, "mixed");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Fixtures, "example.terminology-0.1.0.tgz"), Path.Combine(folder, "a.tgz"));
        File.WriteAllText(Path.Combine(folder, "b.csv"), "code,display,parent\nA,a,\nB,b,MISSING\n");

        Assert.Equal(2, await RunAsync(["terminology", "load", folder, "--url", "http://x.example/CodeSystem/b", "--format", "csv", "--data-dir", DataDirectory]));
        Assert.Equal(2, await RunAsync(["terminology", "load", Path.Combine(folder, "b.csv"), "--url", "http://x.example/CodeSystem/b", "--data-dir", DataDirectory]));
        Assert.Equal(2, await RunAsync(["terminology", "load", Path.Combine(_root, "absent.csv"), "--data-dir", DataDirectory]));
        Assert.Equal(2, await RunAsync(["terminology", "load", Path.Combine(Fixtures, "local-lab-codes.csv"), "--data-dir", DataDirectory]));

        await using SqliteFhirStore store = await OpenStoreAsync();
        Assert.Equal(1, (await store.ReadHistoryAsync(new HistoryQuery(null, null, null, 1, null), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Load_UnknownFormat_IsAUsageError()
    {
        Assert.NotEqual(0, await RunAsync(["terminology", "load", Path.Combine(Fixtures, "Loinc.csv"), "--format", "rf2", "--data-dir", DataDirectory]));
        Assert.False(File.Exists(Path.Combine(DataDirectory, "openhip.db")));
    }

    private static Task<int> RunAsync(string[] args) => OpenHipCli.Build().Parse(args).InvokeAsync();

    private Task<SqliteFhirStore> OpenStoreAsync() =>
        SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(DataDirectory, "openhip.db") });
}
