using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Patching;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Fhir.Transactions;
using OpenHip.Modules.Mpi.Features.Linking;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Modules.Mpi.Tests;

/// <summary>
/// The engine and the MPI module composed as the server composes them, over a real SQLite store in a temporary
/// folder, without HTTP or background services: the test hands the outbox to the linking consumer itself
/// (<see cref="DrainAsync"/>), so what ran and in which order is the test's to say.
/// </summary>
internal sealed class MpiHarness : IAsyncDisposable
{
    private readonly string _directory;
    private OutboxPosition _position = OutboxPosition.Start;

    private MpiHarness(string directory, SqliteFhirStore store, ServiceProvider services)
    {
        _directory = directory;
        Store = store;
        Services = services;
    }

    public static readonly FhirRequestContext Context = new("http://localhost/fhir", Who: "reviewer-1", Source: "http://hospital-a.example/fhir", CorrelationId: "test");

    public SqliteFhirStore Store { get; }

    public ServiceProvider Services { get; }

    public RecordingAuditSink Audit => (RecordingAuditSink)Services.GetRequiredService<IAuditSink>();

    public ResourceService Resources => Services.GetRequiredService<ResourceService>();

    public IOutboxConsumer Consumer => Services.GetRequiredService<LinkingConsumer>();

    public static async Task<MpiHarness> StartAsync(MpiOptions? options = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-mpi-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "mpi.db") }, TimeProvider.System);
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(Options.Create(new FhirEngineOptions()));
        services.AddSingleton<IFhirStore>(store);
        services.AddSingleton<IAuditSink, RecordingAuditSink>();
        services.AddSingleton<IPatchHandler, FhirPatchHandler>();
        services.AddFhirEngine();
        services.AddMpiModule(options ?? new MpiOptions());
        return new MpiHarness(directory, store, services.BuildServiceProvider());
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<string> CreateAsync(Patient patient)
    {
        InteractionResult created = await Resources.CreateAsync(patient, null, Context, CancellationToken.None);
        return created.Resource!.Id;
    }

    public async Task UpdateAsync(Patient patient) =>
        await Resources.UpdateAsync("Patient", patient.Id!, patient, null, Context, CancellationToken.None);

    /// <summary>Hands every outbox event not handed yet to the linking consumer (its own writes included) until none is left.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> DrainAsync()
    {
        var handled = new List<OutboxEvent>();
        while (true)
        {
            IReadOnlyList<OutboxEvent> events = await Store.ReadOutboxAsync(_position, 100, CancellationToken.None);
            if (events.Count == 0)
            {
                return handled;
            }

            await Consumer.HandleAsync(events, CancellationToken.None);
            handled.AddRange(events);
            _position = events[^1].Position;
        }
    }

    public async Task<List<T>> AllAsync<T>()
        where T : Resource
    {
        var all = new List<T>();
        await foreach (StoredResource stored in Store.StreamCurrentAsync(ModelInfoName<T>(), null, null, CancellationToken.None))
        {
            all.Add((T)FhirCodec.ParseStored(stored.Json.Span));
        }

        return all;
    }

    /// <summary>Every current resource of the MPI's types as JSON without versionId and lastUpdated: equal snapshots mean equal content.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string type in new[] { "Patient", "Person", "Task", "Provenance" })
        {
            await foreach (StoredResource stored in Store.StreamCurrentAsync(type, null, null, CancellationToken.None))
            {
                JsonNode node = JsonNode.Parse(stored.Json.Span)!;
                node["meta"]?.AsObject().Remove("versionId");
                node["meta"]?.AsObject().Remove("lastUpdated");
                snapshot[$"{type}/{stored.Id}"] = node.ToJsonString();
            }
        }

        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }

    private static string ModelInfoName<T>() => typeof(T).Name;

    public TransactionProcessor Transactions => Get<TransactionProcessor>();
}
