using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Tests.Resources;
using Xunit;
using static OpenHip.Fhir.Tests.Search.SearchParameterRegistryTests;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Fhir.Tests.Search;

/// <summary>The write path with the SearchParameter hook, from planning a write to the registry after commit.</summary>
public sealed class SearchParameterWriteHookTests
{
    private readonly SearchParameterRegistry _registry = new();
    private readonly ScriptedFhirStore _store = new();
    private readonly ResourceWriteFactory _writes;
    private readonly ChangesetCommitter _commits;

    public SearchParameterWriteHookTests()
    {
        IResourceWriteHook[] hooks = [new SearchParameterWriteHook(_registry)];
        IOptions<FhirEngineOptions> options = Options.Create(new FhirEngineOptions());
        _writes = new ResourceWriteFactory(
            new SearchIndexer(_registry, new RegionTimeZone(options)), new CompartmentIndexer(_registry), hooks, TimeProvider.System, options);
        _commits = new ChangesetCommitter(_store, hooks, new OutboxSignal());
    }

    private static FhirRequestContext Context => new("http://localhost/fhir");

    [Fact]
    public void ForUpsert_UnusableSearchParameter_RefusedBeforeAnythingIsWritten()
    {
        SearchParameter broken = Parameter("broken", "broken", SearchParamType.String, "Patient.name.where(", ResourceType.Patient);

        FhirException ex = Assert.Throws<FhirException>(() => _writes.ForUpsert(broken, "broken", 0, WriteMethod.Create, Context));

        Assert.Equal(FhirErrorKind.BadRequest, ex.Kind);
        Assert.Equal("SearchParameter.expression", Assert.Single(ex.Issues).Expression);
    }

    [Fact]
    public async Task CommitAsync_CreateThenDelete_RegistryFollowsAfterEachCommit()
    {
        SearchParameter nickname = Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.given", ResourceType.Patient);
        ResourceWrite create = _writes.ForUpsert(nickname, "nickname", 0, WriteMethod.Create, Context);
        Assert.Null(_registry.Find("Patient", "nickname"));

        await _commits.CommitAsync(Changeset.Of(create), CancellationToken.None);

        Assert.NotNull(_registry.Find("Patient", "nickname"));
        Assert.Contains(new StringIndexEntry("nickname", "bob", "Bob"),
            _writes.ForUpsert(new Patient { Name = [new HumanName { Given = ["Bob"] }] }, "p1", 0, WriteMethod.Create, Context).Index);

        await _commits.CommitAsync(Changeset.Of(_writes.ForDelete("SearchParameter", "nickname", 1, Context)), CancellationToken.None);

        Assert.Null(_registry.Find("Patient", "nickname"));
    }

    [Fact]
    public async Task CommitAsync_StoreRefuses_RegistryUnchanged()
    {
        _store.CommitFailure = new VersionConflictException(new ResourceKey("SearchParameter", "nickname"), 0, 1);
        ResourceWrite create = _writes.ForUpsert(
            Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.given", ResourceType.Patient), "nickname", 0, WriteMethod.Create, Context);

        await Assert.ThrowsAsync<VersionConflictException>(() => _commits.CommitAsync(Changeset.Of(create), CancellationToken.None));

        Assert.Null(_registry.Find("Patient", "nickname"));
        Assert.Equal(0, _registry.Version);
    }

    [Fact]
    public async Task LoadAsync_StoredSearchParameters_ActiveExceptTheUnusable()
    {
        _store.Current.Add(Stored(Parameter("nickname", "nickname", SearchParamType.String, "Patient.name.given", ResourceType.Patient)));
        _store.Current.Add(Stored(Parameter("broken", "broken", SearchParamType.String, "Patient.(", ResourceType.Patient)));

        await new StoredSearchParameterLoader(_store, _registry, NullLogger<StoredSearchParameterLoader>.Instance).LoadAsync(CancellationToken.None);

        Assert.NotNull(_registry.Find("Patient", "nickname"));
        Assert.Null(_registry.Find("Patient", "broken"));
    }

    private static StoredResource Stored(SearchParameter parameter) =>
        new("SearchParameter", parameter.Id!, 1, DateTimeOffset.UtcNow, false, WriteMethod.Create, FhirCodec.ToJsonBytes(parameter));
}
