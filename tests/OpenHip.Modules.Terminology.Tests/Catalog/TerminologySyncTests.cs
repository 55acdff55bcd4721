using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Catalog;

/// <summary>
/// Two engines ("nodes") over one database file: what one node writes, the other's catalog takes in when its change
/// feed delivers the outbox events; creates, updates and deletes alike, and the writing node itself at once through the
/// write hook. The tests hand node B the outbox the way the feed does (at least once: repeats are harmless).
/// </summary>
public sealed class TerminologySyncTests : IAsyncLifetime
{
    private const string Url = "http://openhip.test/CodeSystem/sync";
    private static readonly FhirRequestContext Context = new("http://openhip.test/fhir");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-terminology-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider _a = null!;
    private ServiceProvider _b = null!;
    private OutboxPosition _fedToB = OutboxPosition.Start;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _a = await NodeAsync();
        _b = await NodeAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task WriteOnNodeA_ReachesNodeBOnItsNextCheck_UpdatesAndDeletesToo()
    {
        ResourceService onA = _a.GetRequiredService<ResourceService>();
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b"), null, Context, CancellationToken.None);

        Assert.Equal(["a", "b"], Below(_a, "a"));
        Assert.Equal(FhirErrorKind.NotFound, Assert.Throws<FhirException>(() => Below(_b, "a")).Kind);

        await FeedBAsync();
        Assert.Equal(["a", "b"], Below(_b, "a"));

        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b", "c"), null, Context, CancellationToken.None);
        await FeedBAsync();
        Assert.Equal(["a", "b", "c"], Below(_b, "a"));

        await onA.DeleteAsync("CodeSystem", "sync", null, Context, CancellationToken.None);
        await FeedBAsync();
        Assert.Equal(FhirErrorKind.NotFound, Assert.Throws<FhirException>(() => Below(_b, "a")).Kind);
    }

    [Fact]
    public async Task Events_delivered_again_or_out_of_date_change_nothing()
    {
        ResourceService onA = _a.GetRequiredService<ResourceService>();
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b"), null, Context, CancellationToken.None);
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b", "c"), null, Context, CancellationToken.None);
        await FeedBAsync();
        Assert.Equal(["a", "b", "c"], Below(_b, "a"));

        // The whole outbox once more, version 1 included: the catalog keeps version 2.
        _fedToB = OutboxPosition.Start;
        await FeedBAsync();
        Assert.Equal(["a", "b", "c"], Below(_b, "a"));
    }

    [Fact]
    public async Task OnChanges_APageOfOtherNodesVersions_ReadsThemInOneCall()
    {
        ResourceService onA = _a.GetRequiredService<ResourceService>();
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b"), null, Context, CancellationToken.None);
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b", "c"), null, Context, CancellationToken.None);
        await onA.UpdateAsync("CodeSystem", "other", CodeSystemAt("other", "http://openhip.test/CodeSystem/other", "x"), null, Context, CancellationToken.None);
        (IFhirStore counted, CallCountingStore counter) = CallCountingStore.Wrap(_b.GetRequiredService<IFhirStore>());
        var sync = new TerminologySync(counted, _b.GetRequiredService<TerminologyCatalog>(), NullLogger<TerminologySync>.Instance);
        IReadOnlyList<OutboxEvent> events = await counted.ReadOutboxAsync(OutboxPosition.Start, 1000, CancellationToken.None);

        await sync.OnChangesAsync(events, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], Below(_b, "a"));
        Assert.Equal((0, 1, 3), (counter.SingleReads, counter.BatchReads, counter.BatchKeys));
    }

    [Fact]
    public async Task OnChanges_VersionsTheCatalogHolds_AreNotReadAgain()
    {
        ResourceService onA = _a.GetRequiredService<ResourceService>();
        await onA.UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b"), null, Context, CancellationToken.None);
        (IFhirStore counted, CallCountingStore counter) = CallCountingStore.Wrap(_a.GetRequiredService<IFhirStore>());
        var sync = new TerminologySync(counted, _a.GetRequiredService<TerminologyCatalog>(), NullLogger<TerminologySync>.Instance);
        IReadOnlyList<OutboxEvent> events = await counted.ReadOutboxAsync(OutboxPosition.Start, 1000, CancellationToken.None);

        // Node A's write hook applied its own version when it committed it.
        await sync.OnChangesAsync(events, CancellationToken.None);

        Assert.Equal(["a", "b"], Below(_a, "a"));
        Assert.Equal((0, 0), (counter.SingleReads, counter.BatchReads));
    }

    [Fact]
    public async Task Load_AtStartUp_CompilesWhatIsStored()
    {
        await _a.GetRequiredService<ResourceService>().UpdateAsync("CodeSystem", "sync", CodeSystem("a", "b"), null, Context, CancellationToken.None);
        await using ServiceProvider restarted = await NodeAsync();

        Assert.Equal(["a", "b"], Below(restarted, "a"));
    }

    private async Task FeedBAsync()
    {
        IFhirStore store = _b.GetRequiredService<IFhirStore>();
        IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(_fedToB, 1000, CancellationToken.None);
        foreach (IChangeObserver observer in _b.GetServices<IChangeObserver>())
        {
            await observer.OnChangesAsync(events, CancellationToken.None);
        }

        _fedToB = events.Count > 0 ? events[^1].Position : _fedToB;
    }

    private static string[] Below(ServiceProvider node, string code) =>
        [.. node.GetRequiredService<ITokenSetResolver>().Resolve(new TokenSetRequest(TokenSetKind.Below, Url, code)).Select(t => t.Code).Order(StringComparer.Ordinal)];

    // A chain: each code the child of the one before.
    private static CodeSystem CodeSystem(params string[] codes) => CodeSystemAt("sync", Url, codes);

    private static CodeSystem CodeSystemAt(string id, string url, params string[] codes)
    {
        var system = new CodeSystem { Id = id, Url = url, Status = PublicationStatus.Active, Content = CodeSystemContentMode.Complete };
        for (int i = 0; i < codes.Length; i++)
        {
            var concept = new CodeSystem.ConceptDefinitionComponent { Code = codes[i] };
            if (i > 0)
            {
                concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "parent", Value = new Code(codes[i - 1]) });
            }

            system.Concept.Add(concept);
        }

        return system;
    }

    private async Task<ServiceProvider> NodeAsync()
    {
        SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "store.db") });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new FhirEngineOptions()));
        services.AddSingleton<IFhirStore>(_ => store); // a factory, so the provider disposes the store with itself
        services.AddFhirEngine();
        services.AddTerminologyModule(new TerminologyOptions());
        ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TerminologySync>().LoadAsync(CancellationToken.None);
        return provider;
    }
}
