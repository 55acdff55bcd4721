using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Hosting;
using OpenHip.Testing;

namespace OpenHip.Tests.Import;

/// <summary>
/// `openhip import` against real stores: NDJSON and Bundle files go in with their ids, indexed and in the outbox; bad
/// input stops the run with the file and line and leaves the failing batch out; running again resumes and never
/// writes a resource twice.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class ImportCommandTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-import", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Import_NdjsonAndBundle_StoresEveryResourceWithItsIdIndexedAndInTheOutbox()
    {
        string folder = Folder("in");
        WritePatients(folder, "Patient.ndjson", 0, 25);
        File.WriteAllText(Path.Combine(folder, "visit.json"), """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:0a7c5b2e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","name":[{"family":"Li"}]},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:0a7c5b2e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","status":"final","code":{"text":"bp"},
                "subject":{"reference":"urn:uuid:0a7c5b2e-0000-4000-8000-000000000001"}},"request":{"method":"POST","url":"Observation"}}]}
            """);

        Assert.Equal(0, await ImportSqliteAsync(folder, "db", batch: 10));

        await using SqliteFhirStore store = await OpenSqliteAsync("db");
        Assert.NotNull(await store.ReadCurrentAsync("Patient", "p7", None));
        Assert.Equal(["p7"], await store.FindByTokensAsync(Identifier("mrn-7"), None));
        SearchPage observations = await store.SearchAsync(new SearchQuery(
            ["Observation"], new ReferenceExpression("subject", "Patient", "0a7c5b2e-0000-4000-8000-000000000001", null), [], 10, null, TotalMode.None), None);
        Assert.Equal(["0a7c5b2e-0000-4000-8000-000000000002"], observations.Resources.Select(r => r.Id));
        Assert.Equal(27, (await store.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Count);
    }

    [Fact]
    public async Task Import_BadLineThenFixedAndRunAgain_ResumesAfterTheLastBatchWithoutDuplicates()
    {
        string folder = Folder("resume");
        WritePatients(folder, "a.ndjson", 0, 20);
        WritePatients(folder, "b.ndjson", 20, 12);
        string b = Path.Combine(folder, "b.ndjson");
        string[] lines = File.ReadAllLines(b);
        string good = lines[7];
        lines[7] = """{"resourceType":"Patient","birthDate":"1990-01-01"}""";
        File.WriteAllLines(b, lines);

        Assert.Equal(2, await ImportSqliteAsync(folder, "db", batch: 5));
        await using (SqliteFhirStore interrupted = await OpenSqliteAsync("db"))
        {
            // a.ndjson whole, b.ndjson's first batch (lines 1-5); the batch holding line 8 is not written.
            Assert.Equal(25, (await interrupted.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Count);
            Assert.Null(await interrupted.ReadCurrentAsync("Patient", "p25", None));
        }

        lines[7] = good;
        File.WriteAllLines(b, lines);
        Assert.Equal(0, await ImportSqliteAsync(folder, "db", batch: 5));

        await using SqliteFhirStore store = await OpenSqliteAsync("db");
        IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(OutboxPosition.Start, 100, None);
        Assert.Equal(32, events.Count);
        Assert.Equal(32, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Import_SameResourcesFromAnotherFolder_SkipsEveryOneAlreadyStored()
    {
        WritePatients(Folder("first"), "Patient.ndjson", 0, 8);
        WritePatients(Folder("second"), "Patient.ndjson", 0, 8);

        Assert.Equal(0, await ImportSqliteAsync(Path.Combine(_root, "first"), "db", batch: 3));
        Assert.Equal(0, await ImportSqliteAsync(Path.Combine(_root, "second"), "db", batch: 3));

        await using SqliteFhirStore store = await OpenSqliteAsync("db");
        Assert.Equal(8, (await store.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Count);
    }

    [Fact]
    public async Task Import_MissingFolderOrResourceWithoutId_ExitCode2AndNothingWritten()
    {
        Assert.Equal(2, await ImportSqliteAsync(Path.Combine(_root, "absent"), "db", batch: 5));
        string folder = Folder("noid");
        File.WriteAllText(Path.Combine(folder, "x.ndjson"), """{"resourceType":"Patient","active":true}""" + "\n");

        Assert.Equal(2, await ImportSqliteAsync(folder, "db", batch: 5));

        await using SqliteFhirStore store = await OpenSqliteAsync("db");
        Assert.Empty(await store.ReadOutboxAsync(OutboxPosition.Start, 100, None));
    }

    [SkippableFact]
    public async Task Import_IntoPostgreSqlTwice_CopiesEveryResourceOnceAndIndexesIt()
    {
        string connectionString = await database.CreateSchemaAsync();
        string folder = Folder("pg");
        WritePatients(folder, "Patient.ndjson", 0, 30);
        var settings = new Dictionary<string, string?>(NoSeeding)
        {
            [StorageOptions.ProviderKey] = StorageOptions.Postgres,
            [PostgreSqlStoreOptions.ConnectionStringKey] = connectionString,
        };

        Assert.Equal(0, await OpenHipServer.ImportAsync(null, settings, folder, 7, None));
        WritePatients(Folder("pg-again"), "Patient.ndjson", 0, 30);
        Assert.Equal(0, await OpenHipServer.ImportAsync(null, settings, Path.Combine(_root, "pg-again"), 7, None));

        await using PostgreSqlFhirStore store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        Assert.Equal(30, (await store.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Count);
        Assert.Equal(["p12"], await store.FindByTokensAsync(Identifier("mrn-12"), None));
        Assert.Equal(1, (await store.ReadHistoryAsync(new HistoryQuery("Patient", "p12", null, 10, null), None)).Total);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static TokenQuery Identifier(string value) =>
        new("Patient", [new TokenClause("identifier", [new TokenValue("urn:test:mrn", value)])], 10);

    private static void WritePatients(string folder, string file, int first, int count) =>
        File.WriteAllLines(Path.Combine(folder, file), Enumerable.Range(first, count).Select(i =>
            $$"""{"resourceType":"Patient","id":"p{{i}}","identifier":[{"system":"urn:test:mrn","value":"mrn-{{i}}"}],"name":[{"family":"Zhang","given":["Wei{{i}}"]}]}"""));

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    // The shipped terminology is seeded on a store's first start; left out here so the outbox holds only what was imported.
    private static readonly Dictionary<string, string?> NoSeeding = new()
    {
        ["Modules:Terminology:LoadCoreContent"] = "false",
        ["Modules:Terminology:LoadNationalContent"] = "false",
    };

    private Task<int> ImportSqliteAsync(string folder, string dataDirectory, int batch) =>
        OpenHipServer.ImportAsync(null, new Dictionary<string, string?>(NoSeeding) { [ServerOptions.DataDirectoryKey] = Path.Combine(_root, dataDirectory) }, folder, batch, None);

    private Task<SqliteFhirStore> OpenSqliteAsync(string dataDirectory) =>
        SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_root, dataDirectory, "openhip.db") });
}
