using OpenHip.Fhir.Storage.Sqlite.Writing;
using static OpenHip.Fhir.Storage.Sqlite.Tests.Writes;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

/// <summary>
/// Group commit. Tests that need several changesets in one group open the store with its writer held,
/// queue the changesets, then start it: the loop drains the whole queue at once, so grouping is certain.
/// </summary>
public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private SqliteFhirStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteFhirStore.OpenHeldAsync(_database.Options(), TimeProvider.System, None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Delete();
    }

    private long Rows(string table, string id) => _database.Count($"SELECT COUNT(*) FROM {table} WHERE id = @id", ("@id", id));

    private long TokenRows(string id) =>
        _database.Count("SELECT COUNT(*) FROM ix_token t JOIN resource_current c ON c.rid = t.rid WHERE c.id = @id", ("@id", id));

    private void AssertNoTrace(params string[] ids)
    {
        foreach (string id in ids)
        {
            Assert.Equal(0, Rows("resource_version", id));
            Assert.Equal(0, Rows("resource_current", id));
            Assert.Equal(0, TokenRows(id));
            Assert.Equal(0, Rows("compartment", id));
            Assert.Equal(0, Rows("outbox", id));
        }
    }

    [Fact]
    public async Task CommitAsync_200ConcurrentSingleWrites_AllSucceedAndAllRowsArePresent()
    {
        _store.StartWriter();

        IReadOnlyList<long>[] results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => _store.CommitAsync(Of(Create("Patient", $"p{i}", index: [Token($"c{i}")], compartments: [$"p{i}"])), None))));

        Assert.Equal(200, results.Select(r => Assert.Single(r)).Distinct().Count());
        Assert.Equal(200, _database.Count("SELECT COUNT(*) FROM resource_version"));
        Assert.Equal(200, _database.Count("SELECT COUNT(*) FROM resource_current"));
        Assert.Equal(200, _database.Count("SELECT COUNT(*) FROM ix_token"));
        Assert.Equal(200, _database.Count("SELECT COUNT(*) FROM compartment"));
        Assert.Equal(200, _database.Count("SELECT COUNT(*) FROM outbox"));
    }

    [Fact]
    public async Task CommitAsync_EveryIndexEntryType_LandsInItsTableWithCompositeComponentsGrouped()
    {
        _store.StartWriter();
        IndexEntry[] index =
        [
            Token("coded"),
            new TokenIndexEntry("code", null, null, "text only"),
            new StringIndexEntry("name", "muller", "Müller"),
            new ReferenceIndexEntry("subject", "Patient", "p1", null),
            new DateIndexEntry("date", DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
            new NumberIndexEntry("probability", 0.5m),
            new QuantityIndexEntry("value-quantity", 1, "http://unitsofmeasure.org", "g", "g", 1, "g"),
            new UriIndexEntry("url", "http://example.org"),
            new CompositeIndexEntry("code-value-quantity", [new TokenIndexEntry("0", "urn:test", "c"), new NumberIndexEntry("1", 1)]),
        ];

        await _store.CommitAsync(Of(Create("Observation", "o1", index: index)), None);

        Assert.Equal(3, _database.Count("SELECT COUNT(*) FROM ix_token"));
        Assert.Equal(1, _database.Count("SELECT COUNT(*) FROM ix_token WHERE code IS NULL AND text = 'text only'"));
        Assert.Equal(2, _database.Count("SELECT COUNT(*) FROM ix_number"));
        Assert.Equal(1, _database.Count("SELECT COUNT(*) FROM ix_token t JOIN ix_number n ON n.rid = t.rid AND n.grp = t.grp"));
        foreach (string table in new[] { "ix_string", "ix_reference", "ix_date", "ix_quantity", "ix_uri" })
        {
            Assert.Equal(1, _database.Count($"SELECT COUNT(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task CommitAsync_QueuedBeforeWriterStarts_CommitsInOneTransaction()
    {
        Task<IReadOnlyList<long>>[] commits = [.. Enumerable.Range(0, 5).Select(i => _store.CommitAsync(Of(Create("Patient", $"p{i}")), None))];

        _store.StartWriter();
        await Task.WhenAll(commits);

        Assert.Equal(1, _store.Writer.TransactionCount);
        Assert.Equal(5, _database.Count("SELECT COUNT(*) FROM resource_current"));
    }

    [Fact]
    public async Task CommitAsync_MoreQueuedThanGroupMaximum_SplitsIntoSeveralTransactions()
    {
        await _store.DisposeAsync();
        _store = await SqliteFhirStore.OpenHeldAsync(_database.Options(maxGroup: 2), TimeProvider.System, None);
        Task<IReadOnlyList<long>>[] commits = [.. Enumerable.Range(0, 5).Select(i => _store.CommitAsync(Of(Create("Patient", $"p{i}")), None))];

        _store.StartWriter();
        await Task.WhenAll(commits);

        Assert.Equal(3, _store.Writer.TransactionCount);
    }

    [Fact]
    public async Task CommitAsync_OneConflictingChangesetInGroup_FailsAloneAndLeavesNoTrace()
    {
        _store.StartWriter();
        await _store.CommitAsync(Of(Create("Patient", "taken")), None);
        await _store.DisposeAsync();
        _store = await SqliteFhirStore.OpenHeldAsync(_database.Options(), TimeProvider.System, None);

        Task<IReadOnlyList<long>> before = _store.CommitAsync(Of(Create("Patient", "a", index: [Token("a")])), None);
        Task<IReadOnlyList<long>> conflicting = _store.CommitAsync(Of(Create("Patient", "taken", index: [Token("x")], compartments: ["taken"])), None);
        Task<IReadOnlyList<long>> after = _store.CommitAsync(Of(Create("Patient", "b", index: [Token("b")])), None);
        _store.StartWriter();

        VersionConflictException conflict = await Assert.ThrowsAsync<VersionConflictException>(() => conflicting);
        await Task.WhenAll(before, after);

        Assert.Equal(1, _store.Writer.TransactionCount);
        Assert.Equal(new ResourceKey("Patient", "taken"), conflict.Key);
        Assert.Equal(1, Rows("resource_version", "taken"));
        Assert.Equal(0, TokenRows("taken"));
        Assert.Equal(0, Rows("compartment", "taken"));
        Assert.Equal(1, Rows("outbox", "taken"));
        Assert.Equal(1, Rows("resource_current", "a"));
        Assert.Equal(1, Rows("resource_current", "b"));
        Assert.Equal(1, TokenRows("a"));
        Assert.Equal(1, Rows("outbox", "b"));
    }

    [Fact]
    public async Task CommitAsync_MultiWriteChangesetAloneInItsGroupConflictingInLastWrite_LeavesNoneOfItsRowsAndTheWriterGoesOn()
    {
        // Alone in its transaction a changeset runs without a savepoint: its failure must roll back the transaction.
        _store.StartWriter();
        await _store.CommitAsync(Of(Create("Patient", "taken")), None);

        await Assert.ThrowsAsync<VersionConflictException>(() => _store.CommitAsync(
            Of(
                Create("Patient", "n1", index: [Token("n1")], compartments: ["n1"]),
                Create("Observation", "n2", index: [Token("n2")], compartments: ["n1"]),
                Create("Patient", "taken")),
            None));
        await _store.CommitAsync(Of(Create("Patient", "later", index: [Token("later")])), None);

        AssertNoTrace("n1", "n2");

        Assert.Equal(1, Rows("resource_current", "later"));
        Assert.Equal(1, TokenRows("later"));
    }

    [Fact]
    public async Task CommitAsync_MultiWriteChangesetConflictingInLastWrite_LeavesNoneOfItsRowsWhileOthersLand()
    {
        _store.StartWriter();
        await _store.CommitAsync(Of(Create("Patient", "taken")), None);
        await _store.DisposeAsync();
        _store = await SqliteFhirStore.OpenHeldAsync(_database.Options(), TimeProvider.System, None);

        Task<IReadOnlyList<long>> other = _store.CommitAsync(Of(Create("Patient", "other")), None);
        Task<IReadOnlyList<long>> failing = _store.CommitAsync(
            Of(
                Create("Patient", "n1", index: [Token("n1")], compartments: ["n1"]),
                Update("Patient", "n1", 2, index: [Token("n1b")], compartments: ["n1"]),
                Create("Observation", "n2", index: [Token("n2")], compartments: ["n1"]),
                Create("Patient", "taken")),
            None);
        Task<IReadOnlyList<long>> later = _store.CommitAsync(Of(Create("Patient", "later")), None);
        _store.StartWriter();

        await Assert.ThrowsAsync<VersionConflictException>(() => failing);
        await Task.WhenAll(other, later);

        AssertNoTrace("n1", "n2");

        Assert.Equal(1, Rows("resource_current", "other"));
        Assert.Equal(1, Rows("resource_current", "later"));
    }

    [Fact]
    public async Task CommitAsync_TwoChangesetsOnOneResourceInOneGroup_SecondSeesFirst()
    {
        Task<IReadOnlyList<long>> create = _store.CommitAsync(Of(Create("Patient", "p")), None);
        Task<IReadOnlyList<long>> update = _store.CommitAsync(Of(Update("Patient", "p", 2)), None);

        _store.StartWriter();
        await Task.WhenAll(create, update);

        Assert.Equal(1, _store.Writer.TransactionCount);
        Assert.Equal(2, (await _store.ReadCurrentAsync("Patient", "p", None))!.VersionId);
    }

    [Fact]
    public async Task CommitAsync_CancelledBeforeWriterTakesIt_IsCancelledAndNotWritten()
    {
        using var cancellation = new CancellationTokenSource();
        Task<IReadOnlyList<long>> cancelled = _store.CommitAsync(Of(Create("Patient", "gone")), cancellation.Token);
        Task<IReadOnlyList<long>> kept = _store.CommitAsync(Of(Create("Patient", "kept")), None);

        await cancellation.CancelAsync();
        _store.StartWriter();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Equal(0, Rows("resource_version", "gone"));
        Assert.Equal(1, Rows("resource_version", "kept"));
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedCommits_CommitsThemBeforeClosing()
    {
        Task<IReadOnlyList<long>>[] commits = [.. Enumerable.Range(0, 3).Select(i => _store.CommitAsync(Of(Create("Patient", $"p{i}")), None))];

        await _store.DisposeAsync();

        await Task.WhenAll(commits);
        Assert.Equal(3, _database.Count("SELECT COUNT(*) FROM resource_current"));
    }

    [Fact]
    public async Task CommitAsync_AfterDispose_ThrowsObjectDisposed()
    {
        await _store.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = _store.CommitAsync(Of(Create("Patient", "p")), None); });
    }

    [Fact]
    public async Task SetConsumerPositionAsync_QueuedWithChangesets_IsCommittedInTheSameGroup()
    {
        Task<IReadOnlyList<long>> commit = _store.CommitAsync(Of(Create("Patient", "p")), None);
        Task position = _store.Writer.SetConsumerPositionAsync("mpi", 42, None);

        _store.StartWriter();
        await Task.WhenAll(commit, position);

        Assert.Equal(1, _store.Writer.TransactionCount);
        await using IOutboxLease lease = (await _store.TryLeaseAsync("mpi", None))!;
        Assert.Equal(42, lease.Position.Sequence);
    }

    [Fact]
    public async Task LoadAsync_QueuedBetweenChangesets_CommitsInATransactionOfItsOwn()
    {
        Task<IReadOnlyList<long>> before = _store.CommitAsync(Of(Create("Patient", "a")), None);
        Task<int> load = _store.LoadAsync([Create("Patient", "l1", index: [Token("l1")]), Create("Patient", "l2")], "import:f", "2", None);
        Task<IReadOnlyList<long>> after = _store.CommitAsync(Of(Create("Patient", "b")), None);

        _store.StartWriter();
        await Task.WhenAll(before, after);

        Assert.Equal(2, await load);
        Assert.Equal(3, _store.Writer.TransactionCount);
        Assert.Equal(4, _database.Count("SELECT COUNT(*) FROM resource_current"));
        Assert.Equal(1, TokenRows("l1"));
        Assert.Equal("2", await _store.GetStateAsync("import:f", None));
    }

    [Fact]
    public async Task RunAsync_AloneActionThrowsAfterWriting_LeavesNoTraceWhileQueuedChangesetsLand()
    {
        Task<IReadOnlyList<long>> before = _store.CommitAsync(Of(Create("Patient", "a")), None);
        Task<int> failing = _store.Writer.RunAsync<int>(
            statements =>
            {
                PendingChangeset.ApplyWrite(statements, Create("Patient", "gone", index: [Token("g")], compartments: ["gone"]));
                throw new InvalidOperationException("refused after writing");
            },
            alone: true,
            None);
        Task<IReadOnlyList<long>> after = _store.CommitAsync(Of(Create("Patient", "b")), None);

        _store.StartWriter();

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Task.WhenAll(before, after);
        Assert.Equal(0, Rows("resource_version", "gone"));
        Assert.Equal(0, TokenRows("gone"));
        Assert.Equal(0, Rows("compartment", "gone"));
        Assert.Equal(0, Rows("outbox", "gone"));
        Assert.Equal(1, Rows("resource_current", "a"));
        Assert.Equal(1, Rows("resource_current", "b"));
    }
}
