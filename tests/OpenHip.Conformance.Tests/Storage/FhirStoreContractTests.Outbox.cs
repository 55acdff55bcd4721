using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    [SkippableFact]
    public async Task ReadOutbox_AfterCommits_HasOneEventPerWriteKeyedBySequence()
    {
        IReadOnlyList<long> first = await CommitAsync(Create("Patient", "p1", At(0)), Create("Observation", "o1", At(0)));
        IReadOnlyList<long> second = await CommitAsync(Delete("Patient", "p1", 2, At(1)));

        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(0, 100, None);

        Assert.Equal(
            [
                new OutboxEvent(first[0], "Patient", "p1", 1, WriteMethod.Create, At(0)),
                new OutboxEvent(first[1], "Observation", "o1", 1, WriteMethod.Create, At(0)),
                new OutboxEvent(second[0], "Patient", "p1", 2, WriteMethod.Delete, At(1)),
            ],
            events);
    }

    [SkippableFact]
    public async Task ReadOutbox_AfterPositionWithMax_ReturnsOnlyLaterEventsUpToMax()
    {
        IReadOnlyList<long> seqs = await CommitAsync(Create("Patient", "p1"), Create("Patient", "p2"), Create("Patient", "p3"), Create("Patient", "p4"));

        IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(seqs[0], 2, None);

        Assert.Equal([seqs[1], seqs[2]], events.Select(e => e.Sequence));
        Assert.Empty(await Store.ReadOutboxAsync(seqs[3], 10, None));
    }

    [SkippableFact]
    public async Task ReadOutbox_RejectedChangeset_LeavesNoEvent()
    {
        await CommitAsync(Create("Patient", "p1"));

        await Assert.ThrowsAsync<VersionConflictException>(() => CommitAsync(Create("Patient", "p2"), Create("Patient", "p1")));

        OutboxEvent only = Assert.Single(await Store.ReadOutboxAsync(0, 100, None));
        Assert.Equal("p1", only.Id);
    }

    [SkippableFact]
    public async Task GetConsumerPosition_UnknownConsumer_IsZero()
    {
        Assert.Equal(0, await Store.GetConsumerPositionAsync("mpi", None));
    }

    [SkippableFact]
    public async Task SetConsumerPosition_ThenReopen_PositionPersistsPerConsumer()
    {
        await Store.SetConsumerPositionAsync("mpi", 5, None);
        await Store.SetConsumerPositionAsync("mpi", 7, None);
        await Store.SetConsumerPositionAsync("surveillance", 3, None);

        await ReopenAsync();

        Assert.Equal(7, await Store.GetConsumerPositionAsync("mpi", None));
        Assert.Equal(3, await Store.GetConsumerPositionAsync("surveillance", None));
    }
}
