using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// The store's pool is capped by default (<see cref="PostgreSqlFhirStore.DefaultMaxPoolSize"/>), which is only safe while
/// no path holds one pooled connection and waits for another: with a pool of one such a path would wait out the
/// connection Timeout and fail. The reindex runner's pattern (replace index rows while streaming) is the one that
/// looked like it might.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlPoolCapTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private PostgreSqlFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        string connectionString = await database.CreateSchemaAsync();
        _store = await PostgreSqlFhirStore.OpenAsync(
            new PostgreSqlStoreOptions { ConnectionString = connectionString + ";Maximum Pool Size=1;Timeout=5", StreamBatchSize = 1 },
            TimeProvider.System);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableFact]
    public async Task PoolOfOne_ReplacingIndexRowsAndWritingWhileStreaming_NeedsNoSecondConnection()
    {
        await _store.CommitAsync(new Changeset([Create("Patient", "p1", index: [Token("identifier", "urn:mrn", "old")]), Create("Patient", "p2")]), None);

        var seen = new List<string>();
        await foreach (StoredResource patient in _store.StreamCurrentAsync("Patient", null, null, None))
        {
            seen.Add(patient.Id);
            await _store.ReplaceIndexAsync([new IndexReplacement(new ResourceKey("Patient", patient.Id), patient.VersionId, [Token("identifier", "urn:mrn", "new")])], None);
            await _store.CommitAsync(Changeset.Of(Create("Observation", "o-" + patient.Id)), None);
        }

        Assert.Equal(["p1", "p2"], seen);
        TokenQuery query = new("Patient", [new TokenClause("identifier", [new TokenValue("urn:mrn", "new")])], 3);
        Assert.Equal(["p1", "p2"], (await _store.FindByTokensAsync(query, None)).Order(StringComparer.Ordinal));
    }
}
