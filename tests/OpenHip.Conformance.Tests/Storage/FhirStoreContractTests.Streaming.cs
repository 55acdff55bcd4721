using OpenHip.Fhir.Storage;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

public abstract partial class FhirStoreContractTests
{
    private async Task<List<string>> StreamAsync(string type, DateTimeOffset? since, DateTimeOffset? until)
    {
        var seen = new List<string>();
        await foreach (StoredResource resource in Store.StreamCurrentAsync(type, since, until, None))
        {
            seen.Add($"{resource.Id}/{resource.VersionId}");
        }

        return seen;
    }

    [SkippableFact]
    public async Task StreamCurrent_ResourcesOfAType_OldestLastUpdatedFirstWithCurrentVersionOnly()
    {
        await CommitAsync(Create("Patient", "a", At(5)));
        await CommitAsync(Create("Patient", "b", At(1)));
        await CommitAsync(Create("Patient", "c", At(3)));
        await CommitAsync(Update("Patient", "b", 2, At(7)));
        await CommitAsync(Create("Observation", "x", At(2)));

        Assert.Equal(["c/1", "a/1", "b/2"], await StreamAsync("Patient", null, null));
    }

    [SkippableFact]
    public async Task StreamCurrent_Range_IncludesSinceAndExcludesUntil()
    {
        await CommitAsync(Create("Patient", "a", At(1)), Create("Patient", "b", At(2)), Create("Patient", "c", At(3)), Create("Patient", "d", At(4)));

        Assert.Equal(["b/1", "c/1"], await StreamAsync("Patient", At(2), At(4)));
        Assert.Equal(["c/1", "d/1"], await StreamAsync("Patient", At(3), null));
        Assert.Equal(["a/1"], await StreamAsync("Patient", null, At(2)));
    }

    [SkippableFact]
    public async Task StreamCurrent_DeletedResource_IsSkipped()
    {
        await CommitAsync(Create("Patient", "a", At(1)), Create("Patient", "b", At(2)));
        await CommitAsync(Delete("Patient", "a", 2, At(3)));

        Assert.Equal(["b/1"], await StreamAsync("Patient", null, null));
    }

    [SkippableFact]
    public async Task StreamCurrent_Resource_CarriesItsStoredJson()
    {
        await CommitAsync(Create("Patient", "a", At(1)));

        await foreach (StoredResource resource in Store.StreamCurrentAsync("Patient", null, null, None))
        {
            Assert.Equal(Json("Patient", "a", 1), resource.Json.ToArray());
        }
    }
}
