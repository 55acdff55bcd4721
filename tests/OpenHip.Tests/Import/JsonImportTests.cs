using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Import;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Tests.Import;

/// <summary>
/// The import's JSON path (NDJSON of types no write hook inspects): stored readable and searchable, and bad lines
/// stop the run naming file and line with nothing of their batch written, so a fixed file resumes there.
/// </summary>
public sealed class JsonImportTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-json-import", Guid.NewGuid().ToString("n"));
    private SqliteFhirStore _store = null!;
    private BulkImporter _importer = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        _store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_root, "openhip.db") });
        var registry = new SearchParameterRegistry();
        var writes = new ResourceWriteFactory(
            new SearchIndexer(registry, RegionTimeZone.Of(TimeZoneInfo.Utc)), new CompartmentIndexer(registry), [], TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new FhirEngineOptions()));
        _importer = new BulkImporter(_store, writes);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Import_ObservationNdjson_StoredAsWrittenWithServerMetaAndSearchable()
    {
        WriteObservations("Observation.ndjson", 0, 9);

        ImportSummary summary = await _importer.ImportAsync(Path.Combine(_root, "in"), 4, null, None);

        Assert.Equal(9, summary.Written);
        StoredResource? stored = await _store.ReadCurrentAsync("Observation", "o5", None);
        Assert.NotNull(stored);
        Hl7.Fhir.Model.Observation read = Assert.IsType<Hl7.Fhir.Model.Observation>(FhirCodec.ParseStored(stored.Json.Span));
        Assert.Equal(("1", "8480-6"), (read.Meta?.VersionId, read.Code.Coding[0].Code));
        Assert.Equal(["o5"], await _store.FindByTokensAsync(new TokenQuery("Observation", [new TokenClause("identifier", [new TokenValue("urn:test:obs", "obs-5")])], 10), None));
        SearchPage ofPatient = await _store.SearchAsync(new SearchQuery(
            ["Observation"], new ReferenceExpression("subject", "Patient", "p3", null), [], 10, null, TotalMode.None), None);
        Assert.Equal(["o3"], ofPatient.Resources.Select(r => r.Id));
    }

    [Fact]
    public async Task Import_ContentFirelyWouldRefuse_StoredAsWrittenAndStillReads()
    {
        File.WriteAllText(Path.Combine(_root, "in", "odd.ndjson"), """{"resourceType":"Observation","id":"odd","status":5,"code":"x","subject":[1],"madeUp":{"a":1}}""" + "\n");

        await _importer.ImportAsync(Path.Combine(_root, "in"), 10, null, None);

        StoredResource? stored = await _store.ReadCurrentAsync("Observation", "odd", None);
        Assert.NotNull(stored);
        Assert.Equal("odd", FhirCodec.ParseStored(stored.Json.Span).Id);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o2",""", "not JSON")]
    [InlineData("""{"id":"o2","status":"final"}""", "no resourceType")]
    [InlineData("""{"resourceType":"Obsrevation","id":"o2"}""", "Obsrevation")]
    [InlineData("""{"resourceType":"Observation","id":"o 2"}""", "o 2")]
    [InlineData("""{"resourceType":"Observation","status":"final"}""", "without an id")]
    [InlineData("""{"resourceType":"Observation","id":"o2","meta":"v1"}""", "meta")]
    public async Task Import_BadLine_NamesFileAndLineAndWritesNothingOfItsBatch(string bad, string said)
    {
        WriteObservations("obs.ndjson", 0, 6);
        string file = Path.Combine(_root, "in", "obs.ndjson");
        string[] lines = File.ReadAllLines(file);
        lines[4] = bad;
        File.WriteAllLines(file, lines);

        FhirException error = await Assert.ThrowsAsync<FhirException>(() => _importer.ImportAsync(Path.Combine(_root, "in"), 3, null, None));

        string message = string.Join("; ", error.Issues.Select(i => i.Diagnostics));
        Assert.Contains("obs.ndjson:5", message, StringComparison.Ordinal);
        Assert.Contains(said, message, StringComparison.Ordinal);
        Assert.NotNull(await _store.ReadCurrentAsync("Observation", "o2", None));
        Assert.Null(await _store.ReadCurrentAsync("Observation", "o3", None));
        Assert.Null(await _store.ReadCurrentAsync("Observation", "o5", None));
    }

    private void WriteObservations(string file, int first, int count) =>
        File.WriteAllLines(Path.Combine(_root, "in", file), Enumerable.Range(first, count).Select(i =>
            $$$"""{"resourceType":"Observation","id":"o{{{i}}}","identifier":[{"system":"urn:test:obs","value":"obs-{{{i}}}"}],"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"subject":{"reference":"Patient/p{{{i}}}"},"valueQuantity":{"value":12{{{i}}}.5,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}"""));
}
