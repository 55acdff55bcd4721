using static OpenHip.Fhir.Storage.Sqlite.Tests.Writes;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Reading;

public sealed class SqliteReadingTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private SqliteFhirStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteFhirStore.OpenAsync(_database.Options(streamBatch: 2));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Delete();
    }

    [Fact]
    public async Task StreamCurrentAsync_MoreRowsThanOneBatchWithEqualTimestamps_ReturnsEachOnceInOrder()
    {
        // Five resources share one instant, so the keyset must fall back on the id to move between batches.
        ResourceWrite[] writes =
        [
            Create("Patient", "e", T0), Create("Patient", "a", T0), Create("Patient", "c", T0),
            Create("Patient", "z", T0.AddSeconds(-1)), Create("Patient", "b", T0), Create("Patient", "d", T0),
            Create("Patient", "y", T0.AddSeconds(1)),
        ];
        await _store.CommitAsync(new Changeset(writes), None);

        var ids = new List<string>();
        await foreach (StoredResource resource in _store.StreamCurrentAsync("Patient", null, null, None))
        {
            ids.Add(resource.Id);
        }

        Assert.Equal(["z", "a", "b", "c", "d", "e", "y"], ids);
    }

    [Fact]
    public async Task CommitAsync_UpdateAndDelete_ReplaceCompartmentRowsOfTheCurrentVersion()
    {
        await _store.CommitAsync(Of(Create("Observation", "o", compartments: ["p1", "p2", "p1"])), None);
        await _store.CommitAsync(Of(Update("Observation", "o", 2, compartments: ["p3"])), None);
        long afterUpdate = _database.Count("SELECT COUNT(*) FROM compartment WHERE id = 'o'");
        long p3 = _database.Count("SELECT COUNT(*) FROM compartment WHERE id = 'o' AND patient_id = 'p3'");

        await _store.CommitAsync(Of(Delete("Observation", "o", 3)), None);

        Assert.Equal(1, afterUpdate);
        Assert.Equal(1, p3);
        Assert.Equal(0, _database.Count("SELECT COUNT(*) FROM compartment WHERE id = 'o'"));
        Assert.Equal(0, _database.Count("SELECT COUNT(*) FROM ix_token t JOIN resource_current c ON c.rid = t.rid WHERE c.id = 'o'"));
    }

    [Fact]
    public async Task ReadHistoryAsync_VersionsOfOneResource_PagesByDescendingSequence()
    {
        IReadOnlyList<long> seqs = await _store.CommitAsync(Of(Create("Patient", "p"), Update("Patient", "p", 2), Update("Patient", "p", 3)), None);

        HistoryPage first = await _store.ReadHistoryAsync(new HistoryQuery("Patient", "p", null, 2, null), None);

        // The cursor is the sequence of the last entry returned, so the next page starts just below it.
        Assert.Equal(seqs[1], first.NextBefore);
        Assert.Equal(3, first.Total);
    }
}
