using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Modules.Terminology.Content;
using OpenHip.Modules.Terminology.Loading;

namespace OpenHip.Modules.Terminology.Tests.Loading;

/// <summary>
/// A real SQLite store with the engine and the terminology module wired as the server wires them. Two instances on
/// the same file behave as two nodes sharing one database.
/// </summary>
internal sealed class TerminologyTestStore : IAsyncDisposable
{
    public static readonly FhirRequestContext Context = new("http://localhost/fhir");

    private readonly SqliteFhirStore _store;
    private readonly ServiceProvider _services;

    private TerminologyTestStore(SqliteFhirStore store, ServiceProvider services, string path)
    {
        _store = store;
        _services = services;
        DatabasePath = path;
    }

    public string DatabasePath { get; }

    public IFhirStore Store => _store;

    public IServiceProvider Services => _services;

    public TerminologyWriter Writer => _services.GetRequiredService<TerminologyWriter>();

    public ShippedContentSeeder Seeder => _services.GetRequiredService<ShippedContentSeeder>();

    public static async Task<TerminologyTestStore> OpenAsync(string databasePath, TerminologyOptions? options = null, FhirEngineOptions? engine = null)
    {
        SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = databasePath });
        ServiceProvider services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(Options.Create(engine ?? new FhirEngineOptions()))
            .AddSingleton<IFhirStore>(store)
            .AddFhirEngine()
            .AddTerminologyModule(options ?? new TerminologyOptions())
            .BuildServiceProvider();
        return new TerminologyTestStore(store, services, databasePath);
    }

    /// <summary>A database path in a fresh folder; dispose it after every store on it, which removes the folder.</summary>
    public static TemporaryFile NewDatabase() => new("openhip.db");

    /// <summary>Every version the store holds (all types), the measure of "wrote nothing".</summary>
    public async Task<long> HistoryTotalAsync(string? type = null) =>
        (await Store.ReadHistoryAsync(new HistoryQuery(type, null, null, 1, null), CancellationToken.None)).Total ?? 0;

    public async Task<T> ReadAsync<T>(string id)
        where T : Hl7.Fhir.Model.Resource
    {
        StoredResource stored = await Store.ReadCurrentAsync(typeof(T).Name, id, CancellationToken.None)
            ?? throw new InvalidOperationException($"{typeof(T).Name}/{id} is not stored");
        return (T)FhirCodec.ParseStored(stored.Json.Span);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
    }
}
