using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    [SkippableFact]
    public async Task ReadVersions_SeveralTypesDeletesAndMissingKeys_ReturnsEachStoredVersionOnce()
    {
        await CommitAsync(Create("Patient", "p1", At(0)), Create("Observation", "o1", At(0)));
        await CommitAsync(Update("Patient", "p1", 2, At(1)));
        await CommitAsync(Delete("Observation", "o1", 2, At(2)));

        IReadOnlyList<StoredResource> read = await Store.ReadVersionsAsync(
            [
                new("Patient", "p1", 2), new("Patient", "p1", 1), new("Patient", "p1", 3), new("Observation", "o1", 1), new("Observation", "o1", 2),
                new("Observation", "p1", 1), new("Patient", "nobody", 1), new("Patient", "p1", 2),
            ],
            None);

        Assert.Equal(
            ["Observation/o1/_history/1", "Observation/o1/_history/2", "Patient/p1/_history/1", "Patient/p1/_history/2"],
            read.Select(r => r.VersionKey.ToString()).Order(StringComparer.Ordinal));
        StoredResource second = read.Single(r => r.VersionKey == new VersionKey("Patient", "p1", 2));
        Assert.Equal(Json("Patient", "p1", 2), second.Json.ToArray());
        Assert.Equal(At(1), second.LastUpdated);
        Assert.Equal(WriteMethod.Update, second.Method);
        Assert.False(second.IsDeleted);
        Assert.Equal(Json("Patient", "p1", 1), read.Single(r => r.VersionKey == new VersionKey("Patient", "p1", 1)).Json.ToArray());
        StoredResource deleted = read.Single(r => r.VersionKey == new VersionKey("Observation", "o1", 2));
        Assert.True(deleted.IsDeleted);
        Assert.True(deleted.Json.IsEmpty);
        Assert.Equal(WriteMethod.Delete, deleted.Method);
    }

    [SkippableFact]
    public async Task ReadVersions_NoKeys_ReturnsNothing()
    {
        await CommitAsync(Create("Patient", "p1"));

        Assert.Empty(await Store.ReadVersionsAsync([], None));
    }

    [SkippableFact]
    public async Task ReadVersions_AnOutboxPageOfKeys_ReturnsThemAll()
    {
        ResourceWrite[] writes = [.. Enumerable.Range(0, 1500).Select(i => Create(i % 2 == 0 ? "Observation" : "Condition", "r-" + i))];
        await CommitAsync(writes);
        VersionKey[] keys = [.. writes.Select(w => new VersionKey(w.Type, w.Id, 1)), new("Observation", "r-1", 1)];

        IReadOnlyList<StoredResource> read = await Store.ReadVersionsAsync(keys, None);

        Assert.Equal(1500, read.Count);
        Assert.All(read, r => Assert.Equal(Json(r.Type, r.Id, 1), r.Json.ToArray()));
    }
}
