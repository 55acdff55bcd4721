using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage.Sqlite.Reading;
using static OpenHip.Fhir.Storage.Sqlite.Tests.Writes;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Reading;

/// <summary>The store's reader connections, kept open with their statements prepared between reads.</summary>
public sealed class SqliteReaderPoolTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private SqliteFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteFhirStore.OpenAsync(_database.Options(), None);
        await _store.CommitAsync(new Changeset([.. Enumerable.Range(0, 20).Select(i => Create("Patient", $"p{i}", index: [Token($"c{i}")]))]), None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Delete();
    }

    [Fact]
    public async Task ReadCurrent_OneAfterAnother_ReuseOneConnectionAndItsPreparedStatement()
    {
        await _store.ReadCurrentAsync("Patient", "p0", None);
        PooledReader reader = Assert.Single(_store.Readers.Idle);
        SqliteCommand prepared = Assert.Single(reader.Prepared.Values);

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"p{i}", (await _store.ReadCurrentAsync("Patient", $"p{i}", None))!.Id);
        }

        Assert.Equal(1, _store.Readers.Opened);
        Assert.Same(prepared, Assert.Single(Assert.Single(_store.Readers.Idle).Prepared.Values));
    }

    [Fact]
    public async Task Search_InASnapshotThenReadsOutsideIt_OnTheSameConnection_SeeLaterCommits()
    {
        var query = new SearchQuery(["Patient"], new TokenExpression("code", "urn:test", "c3"), [], 10, null, TotalMode.Accurate);
        SearchPage page = await _store.SearchAsync(query, None);
        Assert.Equal(1, page.Total);

        // The snapshot ended with the search: the pooled connection must not keep reading the old state.
        await _store.CommitAsync(Of(Create("Patient", "late", index: [Token("c3")])), None);

        Assert.Equal(2, (await _store.SearchAsync(query, None)).Total);
        Assert.NotNull(await _store.ReadCurrentAsync("Patient", "late", None));
        Assert.Equal(1, _store.Readers.Opened);
    }

    [Fact]
    public async Task Reads_ManyAtOnce_AllAnsweredAndTheIdleConnectionsBounded()
    {
        StoredResource?[] read = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Task.Run(() => _store.ReadCurrentAsync("Patient", $"p{i % 20}", None))));

        Assert.All(read, (r, i) => Assert.Equal($"p{i % 20}", r!.Id));
        Assert.InRange(_store.Readers.Idle.Count, 1, 32);
    }

    [Fact]
    public async Task Read_Cancelled_LeavesThePoolAnswering()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.ReadCurrentAsync("Patient", "p1", cancelled.Token));

        Assert.Equal("p1", (await _store.ReadCurrentAsync("Patient", "p1", None))!.Id);
    }
}
