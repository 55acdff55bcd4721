using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    [SkippableFact]
    public async Task ReadOutbox_AfterCommits_HasOneEventPerWriteInCommitOrder()
    {
        IReadOnlyList<long> first = await CommitAsync(Create("Patient", "p1", At(0)), Create("Observation", "o1", At(0)));
        IReadOnlyList<long> second = await CommitAsync(Delete("Patient", "p1", 2, At(1)));

        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None);

        Assert.Equal(
            [
                new OutboxEvent(first[0], "Patient", "p1", 1, WriteMethod.Create, At(0)),
                new OutboxEvent(first[1], "Observation", "o1", 1, WriteMethod.Create, At(0)),
                new OutboxEvent(second[0], "Patient", "p1", 2, WriteMethod.Delete, At(1)),
            ],
            events.Select(e => e with { Position = new(e.Sequence, e.Sequence) }));
        Assert.True(events[0].Position < events[1].Position && events[1].Position < events[2].Position);
    }

    [SkippableFact]
    public async Task ReadOutbox_AfterPositionWithMax_ReturnsOnlyLaterEventsUpToMax()
    {
        await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2"), Create("Patient", "p3"), Create("Patient", "p4"));
        IReadOnlyList<OutboxEvent> all = await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None);

        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(all[0].Position, 2, None);

        Assert.Equal(["p2", "p3"], events.Select(e => e.Id));
        Assert.Empty(await Store.ReadOutboxAsync(all[3].Position, 10, None));
    }

    [SkippableFact]
    public async Task ReadOutboxHead_IsTheLastEventsPosition_StartWhenEmpty()
    {
        Assert.Equal(OutboxPosition.Start, await Store.ReadOutboxHeadAsync(None));

        await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2"));

        OutboxPosition head = await Store.ReadOutboxHeadAsync(None);
        Assert.Equal((await Store.ReadOutboxAsync(OutboxPosition.Start, 10, None))[^1].Position, head);
        Assert.Empty(await Store.ReadOutboxAsync(head, 10, None));
    }

    [SkippableFact]
    public async Task ReadOutbox_RejectedChangeset_LeavesNoEvent()
    {
        await CommitAsync(Create("Patient", "p1"));

        await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(Create("Patient", "p2"), Create("Patient", "p1")));

        OutboxEvent only = Assert.Single(await Store.ReadOutboxAsync(OutboxPosition.Start, 100, None));
        Assert.Equal("p1", only.Id);
    }

    [SkippableFact]
    public async Task TryLease_NewConsumer_StartsAtTheBeginning()
    {
        await using IOutboxLease? lease = await Store.TryLeaseAsync("mpi", None);

        Assert.NotNull(lease);
        Assert.Equal(OutboxPosition.Start, lease.Position);
    }

    [SkippableFact]
    public async Task TryLease_WhileHeld_IsRefusedUntilReleased()
    {
        IOutboxLease? first = await Store.TryLeaseAsync("mpi", None);
        Assert.NotNull(first);

        Assert.Null(await Store.TryLeaseAsync("mpi", None));
        await using (IOutboxLease? other = await Store.TryLeaseAsync("surveillance", None))
        {
            Assert.NotNull(other);
        }

        await first.DisposeAsync();
        await using IOutboxLease? again = await Store.TryLeaseAsync("mpi", None);
        Assert.NotNull(again);
    }

    [SkippableFact]
    public async Task AdvanceLease_ThenReopen_PositionPersistsPerConsumer()
    {
        await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2"));
        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(OutboxPosition.Start, 10, None);
        await using (IOutboxLease mpi = (await Store.TryLeaseAsync("mpi", None))!)
        {
            await mpi.AdvanceAsync(events[0].Position, None);
            await mpi.AdvanceAsync(events[1].Position, None);
        }

        await using (IOutboxLease surveillance = (await Store.TryLeaseAsync("surveillance", None))!)
        {
            await surveillance.AdvanceAsync(events[0].Position, None);
        }

        await ReopenAsync();

        await using IOutboxLease mpiAgain = (await Store.TryLeaseAsync("mpi", None))!;
        await using IOutboxLease surveillanceAgain = (await Store.TryLeaseAsync("surveillance", None))!;
        Assert.Equal(events[1].Position, mpiAgain.Position);
        Assert.Equal(events[0].Position, surveillanceAgain.Position);
        Assert.Empty(await Store.ReadOutboxAsync(mpiAgain.Position, 10, None));
        Assert.Equal(["p2"], (await Store.ReadOutboxAsync(surveillanceAgain.Position, 10, None)).Select(e => e.Id));
    }
}
