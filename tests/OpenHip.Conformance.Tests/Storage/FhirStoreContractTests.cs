using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// The <see cref="IFhirStore"/> contract, written once. Each store inherits it and supplies how to open itself;
/// every test starts from an empty store.
/// </summary>
public abstract partial class FhirStoreContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected IFhirStore Store { get; private set; } = null!;

    /// <summary>Opens the store under test; called again by <see cref="ReopenAsync"/> and must reach the same data.</summary>
    protected abstract Task<IFhirStore> OpenStoreAsync();

    /// <summary>Removes the test's data once the store is closed.</summary>
    protected abstract Task DeleteStoreAsync();

    public async Task InitializeAsync() => Store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        await CloseStoreAsync();
        await DeleteStoreAsync();
    }

    /// <summary>Closes the store and opens it again, as a process restart would.</summary>
    protected async Task ReopenAsync()
    {
        await CloseStoreAsync();
        Store = await OpenStoreAsync();
    }

    protected Task<IReadOnlyList<long>> CommitAsync(params ResourceWrite[] writes) => Store.CommitAsync(new Changeset(writes), None);

    private async Task CloseStoreAsync()
    {
        if (Store is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (Store is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    [SkippableFact]
    public async Task ReadCurrent_AfterCreate_ReturnsJsonBytesAsWritten()
    {
        ResourceWrite create = Create("Patient", "p1", At(0));

        await CommitAsync(create);
        StoredResource? current = await Store.ReadCurrentAsync("Patient", "p1", None);

        Assert.NotNull(current);
        Assert.Equal(create.Json.ToArray(), current.Json.ToArray());
        Assert.Equal(1, current.VersionId);
        Assert.Equal(At(0), current.LastUpdated);
        Assert.Equal(WriteMethod.Create, current.Method);
        Assert.False(current.IsDeleted);
        Assert.Equal(new ResourceKey("Patient", "p1"), current.Key);
    }

    [SkippableFact]
    public async Task ReadCurrent_CarriesTheCurrentVersionsCompartments()
    {
        await CommitAsync(Create("Observation", "o1", compartments: ["a", "b"]), Create("Organization", "org"));
        await CommitAsync(Update("Observation", "o1", 2, compartments: ["c"]));

        Assert.Equal(["c"], (await Store.ReadCurrentAsync("Observation", "o1", None))!.Compartments);
        Assert.Empty((await Store.ReadCurrentAsync("Organization", "org", None))!.Compartments!);
        Assert.Null((await Store.ReadVersionAsync("Observation", "o1", 1, None))!.Compartments);
    }

    [SkippableFact]
    public async Task ReadPatientsOf_IsTheUnionOfTheCurrentVersionsCompartments_EachOnce()
    {
        await CommitAsync(Create("Observation", "o1", compartments: ["a", "b"]), Create("Observation", "o2", compartments: ["b"]), Create("Organization", "org"));
        await CommitAsync(Update("Observation", "o1", 2, compartments: ["c", "b"]));
        ResourceKey[] many = [.. Enumerable.Range(0, 900).Select(i => new ResourceKey("Observation", "none-" + i)), new("Observation", "o2")];

        Assert.Equal(["b", "c"], await Store.ReadPatientsOfAsync([new("Observation", "o1"), new("Observation", "o2"), new("Organization", "org"), new("Observation", "o1")], None));
        Assert.Empty(await Store.ReadPatientsOfAsync([new("Organization", "org"), new("Observation", "unknown")], None));
        Assert.Equal(["b"], await Store.ReadPatientsOfAsync(many, None));
    }

    [SkippableFact]
    public async Task ReadCurrent_UnknownResource_ReturnsNull()
    {
        await CommitAsync(Create("Patient", "p1"));

        Assert.Null(await Store.ReadCurrentAsync("Patient", "other", None));
        Assert.Null(await Store.ReadCurrentAsync("Observation", "p1", None));
    }

    [SkippableFact]
    public async Task LastUpdated_MillisecondsWithOffset_RoundTripsToTheSameInstant()
    {
        var written = new DateTimeOffset(2024, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(8));

        await CommitAsync(Create("Patient", "p1", written));
        StoredResource? current = await Store.ReadCurrentAsync("Patient", "p1", None);

        Assert.Equal(written, current!.LastUpdated);
        Assert.Equal(written.UtcTicks, current.LastUpdated.UtcTicks);
    }

    [SkippableFact]
    public async Task ReadVersion_UpdateChain_ReturnsEachVersionAndCurrentIsLatest()
    {
        await CommitAsync(Create("Patient", "p1", At(0)));
        await CommitAsync(Update("Patient", "p1", 2, At(1)));
        await CommitAsync(Update("Patient", "p1", 3, At(2)));

        for (long version = 1; version <= 3; version++)
        {
            StoredResource? stored = await Store.ReadVersionAsync("Patient", "p1", version, None);
            Assert.NotNull(stored);
            Assert.Equal(version, stored.VersionId);
            Assert.Equal(Json("Patient", "p1", version), stored.Json.ToArray());
            Assert.Equal(At((int)version - 1), stored.LastUpdated);
        }

        StoredResource? current = await Store.ReadCurrentAsync("Patient", "p1", None);
        Assert.Equal(3, current!.VersionId);
        Assert.Equal(WriteMethod.Update, current.Method);
    }

    [SkippableFact]
    public async Task ReadVersion_VersionNeverWritten_ReturnsNull()
    {
        await CommitAsync(Create("Patient", "p1"));

        Assert.Null(await Store.ReadVersionAsync("Patient", "p1", 2, None));
        Assert.Null(await Store.ReadVersionAsync("Patient", "p2", 1, None));
    }

    [SkippableFact]
    public async Task ReadCurrent_AfterDelete_ReturnsDeletedVersionAndOldVersionStaysReadable()
    {
        await CommitAsync(Create("Patient", "p1", At(0)));
        await CommitAsync(Delete("Patient", "p1", 2, At(1)));

        StoredResource? current = await Store.ReadCurrentAsync("Patient", "p1", None);
        StoredResource? first = await Store.ReadVersionAsync("Patient", "p1", 1, None);

        Assert.NotNull(current);
        Assert.True(current.IsDeleted);
        Assert.Equal(2, current.VersionId);
        Assert.Equal(WriteMethod.Delete, current.Method);
        Assert.True(current.Json.IsEmpty);
        Assert.False(first!.IsDeleted);
        Assert.Equal(Json("Patient", "p1", 1), first.Json.ToArray());
    }

    [SkippableFact]
    public async Task Commit_UpdateAfterDeleteExpectingDeletedVersion_Revives()
    {
        await CommitAsync(Create("Patient", "p1"));
        await CommitAsync(Delete("Patient", "p1", 2));

        await CommitAsync(Update("Patient", "p1", 3));

        StoredResource? current = await Store.ReadCurrentAsync("Patient", "p1", None);
        Assert.False(current!.IsDeleted);
        Assert.Equal(3, current.VersionId);
    }

    [SkippableFact]
    public async Task Commit_CreateOfExistingResource_ThrowsVersionConflict()
    {
        await CommitAsync(Create("Patient", "p1"));

        VersionConflictException conflict = await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(Create("Patient", "p1")));

        Assert.Equal(new ResourceKey("Patient", "p1"), conflict.Key);
        Assert.Equal(0, conflict.Expected);
        Assert.Equal(1, conflict.Actual);
    }

    [SkippableFact]
    public async Task Commit_StaleExpectedVersion_ThrowsAndWritesNothing()
    {
        await CommitAsync(Create("Patient", "p1"));
        await CommitAsync(Update("Patient", "p1", 2));

        VersionConflictException conflict = await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(Update("Patient", "p1", 2)));

        Assert.Equal(1, conflict.Expected);
        Assert.Equal(2, conflict.Actual);
        Assert.Equal(2, (await Store.ReadCurrentAsync("Patient", "p1", None))!.VersionId);
        HistoryPage history = await Store.ReadHistoryAsync(new HistoryQuery("Patient", "p1", null, 10, null), None);
        Assert.Equal(2, history.Total);
    }

    [SkippableFact]
    public async Task Commit_ConcurrentChangesetsWithAFailingOne_OthersCommitAndTheFailedOneLeavesNoTrace()
    {
        await CommitAsync(Create("Patient", "existing"));
        OutboxPosition head = await Store.ReadOutboxHeadAsync(None);

        // Queued together, so stores that commit concurrent changesets in one transaction put them in one group.
        Task<IReadOnlyList<long>> first = CommitAsync(Create("Patient", "a", index: [Token("identifier", "s", "a")]));
        Task<IReadOnlyList<long>> failing = CommitAsync(Create("Observation", "lost", index: [Token("code", "s", "lost")]), Create("Patient", "existing"));
        Task<IReadOnlyList<long>> third = CommitAsync(Create("Patient", "b", index: [Token("identifier", "s", "b")]));

        await Assert.ThrowsAsync<VersionConflictException>(() => failing);
        await Task.WhenAll(first, third);
        Assert.NotNull(await Store.ReadCurrentAsync("Patient", "a", None));
        Assert.NotNull(await Store.ReadCurrentAsync("Patient", "b", None));
        Assert.Null(await Store.ReadCurrentAsync("Observation", "lost", None));
        Assert.Empty(await Store.FindByTokensAsync(new TokenQuery("Observation", [new TokenClause("code", [new TokenValue("s", "lost")])], 10), None));
        Assert.Equal(1, (await Store.ReadCurrentAsync("Patient", "existing", None))!.VersionId);
        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(head, 10, None);
        Assert.Equal(["Patient/a", "Patient/b"], events.Select(e => $"{e.Type}/{e.Id}").Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Commit_UpdateOfMissingResource_ThrowsVersionConflict()
    {
        VersionConflictException conflict = await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(Update("Patient", "p1", 2)));

        Assert.Equal(1, conflict.Expected);
        Assert.Equal(0, conflict.Actual);
    }

    [SkippableFact]
    public async Task Commit_SeveralWrites_ReturnsIncreasingSequencesInWriteOrder()
    {
        IReadOnlyList<long> first = await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2"), Create("Observation", "o1"));
        IReadOnlyList<long> second = await CommitAsync(Create("Patient", "p3"));

        Assert.Equal(3, first.Count);
        Assert.True(first[0] < first[1] && first[1] < first[2]);
        Assert.True(second[0] > first[2]);
    }

    [SkippableFact]
    public async Task Commit_TwoWritesToOneResourceInOneChangeset_SecondSeesFirst()
    {
        await CommitAsync(Create("Patient", "p1"), Update("Patient", "p1", 2));

        Assert.Equal(2, (await Store.ReadCurrentAsync("Patient", "p1", None))!.VersionId);
        Assert.NotNull(await Store.ReadVersionAsync("Patient", "p1", 1, None));
    }

    [SkippableFact]
    public async Task Commit_ConflictInLastWrite_WritesNoneOfTheChangeset()
    {
        await CommitAsync(Create("Patient", "existing"));

        await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(
            Create("Patient", "new1", index: [Token("identifier", "urn:sys", "A")]),
            Create("Observation", "new2", compartments: ["new1"]),
            Create("Patient", "existing")));

        Assert.Null(await Store.ReadCurrentAsync("Patient", "new1", None));
        Assert.Null(await Store.ReadCurrentAsync("Observation", "new2", None));
        Assert.Empty(await FindAsync("Patient", new TokenClause("identifier", [new TokenValue("urn:sys", "A")])));
        Assert.Single(await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None));
    }

    [SkippableFact]
    public async Task Commit_CreatesAroundAnUpdate_EachResourceGetsItsOwnRowsInWriteOrder()
    {
        await CommitAsync(Create("Patient", "existing"));

        IReadOnlyList<long> sequences = await CommitAsync(
            Create("Patient", "a", at: At(1), index: [Token("identifier", "urn:sys", "A")]),
            Create("Observation", "b", at: At(2), compartments: ["a"]),
            Update("Patient", "existing", 2),
            Create("Patient", "c", at: At(3), index: [Token("identifier", "urn:sys", "C")]),
            Create("Patient", "d", at: At(4)));

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(5, sequences.Distinct().Count());
        foreach ((string type, string id, int minutes) in new[] { ("Patient", "a", 1), ("Observation", "b", 2), ("Patient", "c", 3), ("Patient", "d", 4) })
        {
            StoredResource current = (await Store.ReadCurrentAsync(type, id, None))!;
            Assert.Equal(Json(type, id, 1), current.Json.ToArray());
            Assert.Equal(At(minutes), current.LastUpdated);
        }

        Assert.Equal(["c"], await FindAsync("Patient", new TokenClause("identifier", [new TokenValue("urn:sys", "C")])));
        Assert.Equal(["Patient/a", "Observation/b", "Patient/existing", "Patient/c", "Patient/d"],
            (await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None)).Skip(1).Select(e => $"{e.Type}/{e.Id}"));
    }

    [SkippableFact]
    public async Task Commit_SeveralCreatesWithATakenOneInTheMiddle_NamesItAndWritesNone()
    {
        await CommitAsync(Create("Patient", "existing"));

        VersionConflictException conflict = await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(
            Create("Patient", "new1"), Create("Patient", "existing"), Create("Patient", "new2")));

        Assert.Equal(new ResourceKey("Patient", "existing"), conflict.Key);
        Assert.Equal(1, conflict.Actual);
        Assert.Null(await Store.ReadCurrentAsync("Patient", "new1", None));
        Assert.Null(await Store.ReadCurrentAsync("Patient", "new2", None));
        Assert.Single(await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None));
    }

    [SkippableFact]
    public async Task Reopen_AfterCommits_DataIsStillThere()
    {
        await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2", index: [Token("identifier", "urn:sys", "A")]));

        await ReopenAsync();

        Assert.NotNull(await Store.ReadCurrentAsync("Patient", "p1", None));
        Assert.Equal(["p2"], await FindAsync("Patient", new TokenClause("identifier", [new TokenValue("urn:sys", "A")])));
    }
}
