using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Operations;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Terminology;
using OpenHip.Testing.Terminology;

namespace OpenHip.Benchmarks.Terminology;

/// <summary>
/// The engine with the terminology module over a real SQLite file, holding the 100,000-concept synthetic code system,
/// its all-codes value set and coded Observations, all written through the ordinary write path.
/// </summary>
internal sealed class TerminologyEngine : IAsyncDisposable
{
    public const int Concepts = 100_000;
    public static readonly FhirRequestContext Context = new("http://openhip.test/fhir");

    private readonly string _directory;

    private TerminologyEngine(ServiceProvider services, string directory)
    {
        Services = services;
        _directory = directory;
    }

    public ServiceProvider Services { get; }

    public IFhirOperation Operation(string name) => Services.GetServices<IFhirOperation>().Single(o => o.Name == name);

    public SearchService Search => Services.GetRequiredService<SearchService>();

    /// <param name="observations">How many Observations to write: every 20th is coded S12 itself, the rest spread over the system.</param>
    public static async Task<TerminologyEngine> StartAsync(int observations)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-terminology-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "bench.db") });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new FhirEngineOptions()));
        services.AddSingleton<IFhirStore>(_ => store);
        services.AddFhirEngine();
        services.AddTerminologyModule(new TerminologyOptions());
        ServiceProvider provider = services.BuildServiceProvider();
        var engine = new TerminologyEngine(provider, directory);

        ResourceService resources = provider.GetRequiredService<ResourceService>();
        await resources.UpdateAsync("CodeSystem", "synthetic", SyntheticCodeSystem.Create(Concepts), null, Context, CancellationToken.None);
        await resources.UpdateAsync("ValueSet", "synthetic-all", SyntheticCodeSystem.All(), null, Context, CancellationToken.None);

        // What the server's TokenClosureService does after a code system changes: record its :below closure rows complete.
        await provider.GetRequiredService<TokenClosureMaintainer>().CatchUpAsync(CancellationToken.None);
        var random = new Random(7);
        for (int i = 0; i < observations; i++)
        {
            string code = i % 20 == 0 ? "S12" : SyntheticCodeSystem.Code(random.Next(Concepts));
            var observation = new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept(SyntheticCodeSystem.Url, code),
            };
            await resources.CreateAsync(observation, null, Context, CancellationToken.None);
        }

        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
