using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// Two stores on one PostgreSQL database, as two OpenHIP nodes would open it: what one commits the other sees at once,
/// and races between them are decided by the database, never by either node's memory.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlSharedDatabaseTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private PostgreSqlFhirStore _a = null!;
    private PostgreSqlFhirStore _b = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await database.CreateSchemaAsync();
        var options = new PostgreSqlStoreOptions { ConnectionString = _connectionString };

        // Both open (and migrate) at once, as nodes starting together do: the advisory lock applies each step once.
        PostgreSqlFhirStore[] stores = await Task.WhenAll(
            PostgreSqlFhirStore.OpenAsync(options, TimeProvider.System),
            PostgreSqlFhirStore.OpenAsync(options, TimeProvider.System));
        (_a, _b) = (stores[0], stores[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [SkippableFact]
    public async Task Commit_OnOneStore_IsReadableAndSearchableOnTheOther()
    {
        await _a.CommitAsync(Changeset.Of(Create("Patient", "p1", index: [Token("identifier", "urn:sys", "A")])), None);

        Assert.NotNull(await _b.ReadCurrentAsync("Patient", "p1", None));
        SearchPage page = await _b.SearchAsync(
            new SearchQuery(["Patient"], new TokenExpression("identifier", "urn:sys", "A"), [], 10, null, TotalMode.Accurate), None);
        Assert.Equal(["p1"], page.Resources.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task Commit_50ConcurrentUpdatesOfOneVersionOverTwoStores_ExactlyOneWins()
    {
        await _a.CommitAsync(Changeset.Of(Create("Patient", "p1")), None);

        Task<IReadOnlyList<long>>[] updates = [.. Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? _a : _b).CommitAsync(Changeset.Of(Update("Patient", "p1", 2)), None))];
        Exception?[] outcomes = await Task.WhenAll(updates.Select(async u =>
        {
            try
            {
                await u;
                return null;
            }
            catch (VersionConflictException ex)
            {
                return (Exception)ex;
            }
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<VersionConflictException>(), c => Assert.Equal(2, c.Actual));
        HistoryPage history = await _b.ReadHistoryAsync(new HistoryQuery("Patient", "p1", null, 100, null), None);
        Assert.Equal(2, history.Total);
        Assert.Equal(2, (await _a.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Count);
    }

    [SkippableFact]
    public async Task Commit_50ConcurrentCreatesOfOneIdOverTwoStores_ExactlyOneWins()
    {
        Task<IReadOnlyList<long>>[] creates = [.. Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? _a : _b).CommitAsync(Changeset.Of(Create("Patient", "p1", index: [Token("identifier", "urn:sys", "A")])), None))];
        int won = 0;
        foreach (Task<IReadOnlyList<long>> create in creates)
        {
            try
            {
                await create;
                won++;
            }
            catch (VersionConflictException)
            {
            }
        }

        Assert.Equal(1, won);
        Assert.Equal(["p1"], await _a.FindByTokensAsync(new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("urn:sys", "A")])], 10), None));
    }

    [SkippableFact]
    public async Task Commit_50GuardedCreatesOfOneIdentifierOverTwoStores_ExactlyOneResource()
    {
        var criteria = new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("urn:sys", "A")])], 2);
        Task<IReadOnlyList<long>>[] creates = [.. Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? _a : _b).CommitAsync(
                new Changeset([Create("Patient", $"p{i}", index: [Token("identifier", "urn:sys", "A")])]) { Guards = [new CreateGuard(criteria, $"p{i}")] },
                None))];
        int won = 0;
        foreach (Task<IReadOnlyList<long>> create in creates)
        {
            try
            {
                await create;
                won++;
            }
            catch (CreateGuardViolatedException)
            {
            }
        }

        Assert.Equal(1, won);
        Assert.Single(await _b.FindByTokensAsync(criteria with { Limit = 10 }, None));
    }

    [SkippableFact]
    public async Task ReadOutbox_FollowedWhileBothStoresCommitConcurrently_MissesNoEventAndRepeatsNone()
    {
        const int Writers = 6;
        const int PerWriter = 40;
        using var done = new CancellationTokenSource();
        var seen = new List<long>();
        Task follower = Task.Run(async () =>
        {
            OutboxPosition position = OutboxPosition.Start;
            while (true)
            {
                bool finished = done.IsCancellationRequested;
                IReadOnlyList<OutboxEvent> events = await _b.ReadOutboxAsync(position, 50, None);
                seen.AddRange(events.Select(e => e.Sequence));
                if (events.Count > 0)
                {
                    position = events[^1].Position;
                }
                else if (finished)
                {
                    return;
                }
            }
        });

        // Sequence numbers are taken inside each transaction, so with several writers they commit out of order;
        // a reader ordering by sequence alone would step over the late ones.
        List<long> written = [];
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                IReadOnlyList<long> seqs = await (w % 2 == 0 ? _a : _b).CommitAsync(Changeset.Of(Create("Patient", $"w{w}-{i}")), None);
                lock (written)
                {
                    written.AddRange(seqs);
                }
            }
        })));
        await done.CancelAsync();
        await follower.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Writers * PerWriter, seen.Count);
        Assert.Equal(written.Order(), seen.Order());
    }

    [SkippableFact]
    public async Task ReadOutbox_WhileAnOlderTransactionIsOpen_HoldsLaterCommitsBackUntilItEnds()
    {
        await using var older = new Npgsql.NpgsqlConnection(_connectionString);
        await older.OpenAsync();
        await using Npgsql.NpgsqlTransaction open = await older.BeginTransactionAsync();
        await using (var xid = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", older, open))
        {
            await xid.ExecuteScalarAsync();
        }

        await _a.CommitAsync(Changeset.Of(Create("Patient", "later")), None);

        // The open transaction could still commit an outbox row ordered before "later".
        Assert.Empty(await _b.ReadOutboxAsync(OutboxPosition.Start, 10, None));
        await open.RollbackAsync();

        // Polled: a transaction of another test on the same cluster may hold the horizon back a moment longer.
        IReadOnlyList<OutboxEvent> released = [];
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); released.Count == 0 && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            released = await _b.ReadOutboxAsync(OutboxPosition.Start, 10, None);
        }

        Assert.Equal(["later"], released.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task TryLease_HeldThroughOneStore_IsRefusedThroughTheOtherUntilReleased()
    {
        IOutboxLease? onA = await _a.TryLeaseAsync("mpi", None);
        Assert.NotNull(onA);

        Assert.Null(await _b.TryLeaseAsync("mpi", None));
        await onA.DisposeAsync();
        await using IOutboxLease? onB = await _b.TryLeaseAsync("mpi", None);
        Assert.NotNull(onB);
    }

    [SkippableFact]
    public async Task Commit_NewParameterOnBothStoresAtOnce_BothIndexUnderOneParameterId()
    {
        // Neither store has an id for "Patient.new-param" cached: both create it at the same moment.
        await Task.WhenAll(
            _a.CommitAsync(Changeset.Of(Create("Patient", "a", index: [Token("new-param", "urn:sys", "X")])), None),
            _b.CommitAsync(Changeset.Of(Create("Patient", "b", index: [Token("new-param", "urn:sys", "X")])), None));

        IReadOnlyList<string> found = await _a.FindByTokensAsync(
            new TokenQuery("Patient", [new TokenClause("new-param", [new TokenValue("urn:sys", "X")])], 10), None);
        Assert.Equal(["a", "b"], found.Order(StringComparer.Ordinal));
    }
}
