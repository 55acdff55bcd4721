using System.Diagnostics;
using System.Globalization;
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
using OpenHip.Modules.Mpi;
using OpenHip.Modules.Synthetic;
using Task = System.Threading.Tasks.Task;

namespace OpenHip.Benchmarks.Mpi;

/// <summary>
/// Incremental linking as the server does it: the synthetic region's Patients are committed through the engine into a
/// SQLite store (not timed), then the MPI's outbox consumer links them from the outbox in batches (timed): matching
/// against the index, golden Person writes through the engine, review Tasks.
/// </summary>
internal static class LinkingBenchmark
{
    /// <param name="warm">
    /// Link the first half of the residents untimed, then commit and time the second half: a running server's rate, with
    /// the code compiled, the index loaded and kept current by the writes, the model fitted. Without it the timed part
    /// also pays for those once (most of it JIT compilation in a run of seconds).
    /// </param>
    public static async Task RunAsync(int residents, bool warm = false)
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-mpi-bench", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        try
        {
            await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "bench.db") }, TimeProvider.System);
            var services = new ServiceCollection();
            services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
            services.AddSingleton(Options.Create(new FhirEngineOptions()));
            services.AddSingleton<IFhirStore>(store);
            services.AddSingleton<IAuditSink, NoAudit>();
            services.AddSingleton<IPatchHandler, FhirPatchHandler>();
            services.AddFhirEngine();
            services.AddMpiModule(new MpiOptions());
            await using ServiceProvider provider = services.BuildServiceProvider();

            var clock = Stopwatch.StartNew();
            var generator = new SyntheticRegionGenerator(new SyntheticRegionOptions { Patients = residents, Seed = 1 });
            var context = new FhirRequestContext("http://localhost/fhir");
            int patients = 0;
            ResourceService resources = provider.GetRequiredService<ResourceService>();
            IOutboxConsumer consumer = provider.GetServices<IOutboxConsumer>().Single(c => c.Name == "mpi-linking");
            OutboxPosition position = OutboxPosition.Start;
            int resident = 0;
            foreach (ResidentHistory history in generator.GenerateResidents())
            {
                if (warm && resident++ == residents / 2)
                {
                    position = await LinkAsync(store, consumer, position);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {patients:N0} Patients committed and linked (not timed)"));
                    patients = 0;
                }

                foreach (Patient patient in history.Bundle.Entry.Select(e => e.Resource).OfType<Patient>())
                {
                    await resources.CreateAsync(patient, null, context, CancellationToken.None);
                    patients++;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {patients:N0} Patients of {residents:N0} residents in {clock.Elapsed.TotalSeconds:F1} s (not timed below)"));
            clock.Restart();
            TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            await LinkAsync(store, consumer, position);
            double seconds = clock.Elapsed.TotalSeconds;

            // CPU time beside the wall time: on a shared machine the wall time moves with the neighbours' load.
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
            long persons = 0;
            await foreach (StoredResource _ in store.StreamCurrentAsync("Person", null, null, CancellationToken.None))
            {
                persons++;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"incremental linking: {patients:N0} Patients linked in {seconds:F1} s = {patients / seconds:N0} records/s, {persons:N0} golden Persons, CPU {cpuSeconds:F1} s"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Feeds the consumer the outbox from <paramref name="position"/> to its present head, in the engine's batches.</summary>
    private static async Task<OutboxPosition> LinkAsync(SqliteFhirStore store, IOutboxConsumer consumer, OutboxPosition position)
    {
        OutboxPosition head = await store.ReadOutboxHeadAsync(CancellationToken.None);
        while (position.Sequence < head.Sequence)
        {
            IReadOnlyList<OutboxEvent> events = await store.ReadOutboxAsync(position, new FhirEngineOptions().OutboxBatchSize, CancellationToken.None);
            await consumer.HandleAsync([.. events.Where(e => e.Sequence <= head.Sequence)], CancellationToken.None);
            position = events[^1].Position;
        }

        return head;
    }

    private sealed class NoAudit : IAuditSink
    {
        public ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
