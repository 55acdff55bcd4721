using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Sqlite;
using OpenHip.Testing;

namespace OpenHip.Tests.Events;

/// <summary>
/// Outbox consumers run against real stores: every event reaches the consumer in order, a failed batch comes again,
/// and with two nodes over one PostgreSQL database each event is handled by one of them, once.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class OutboxDispatcherTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-outbox", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Dispatcher_OnSqlite_HandsEveryEventOnceInOrderAndStoresThePosition()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "a.db") });
        var consumer = new RecordingConsumer("mpi", "node");
        IReadOnlyList<long> written = await CommitPatientsAsync(store, "p", 30);

        await RunUntilAsync([Dispatcher(store, consumer)], () => consumer.Handled.Count >= 30);

        Assert.Equal(written, consumer.Handled.Select(h => h.Sequence));

        // Stopped right after the last batch, the position may not have caught up with it yet: a restarted consumer
        // then gets exactly the events after the stored position again, never fewer.
        long stored;
        await using (IOutboxLease lease = (await store.TryLeaseAsync("mpi", None))!)
        {
            stored = lease.Position.Sequence;
        }

        Assert.Contains(stored, written);
        var restarted = new RecordingConsumer("mpi", "node");
        long[] after = [.. written.Where(s => s > stored)];
        await RunUntilAsync([Dispatcher(store, restarted)], () => restarted.Handled.Count >= after.Length);
        Assert.Equal(after, restarted.Handled.Select(h => h.Sequence));
    }

    [Fact]
    public async Task Dispatcher_ConsumerFailsOnce_GetsTheSameEventsAgainAndLosesNone()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "b.db") });
        var consumer = new RecordingConsumer("surveillance", "node") { FailuresLeft = 1 };
        IReadOnlyList<long> written = await CommitPatientsAsync(store, "p", 10);

        await RunUntilAsync([Dispatcher(store, consumer)], () => consumer.Handled.Count >= 10);

        Assert.Equal(written, consumer.Handled.Select(h => h.Sequence));
        long[] firstBatch = [.. written.Take(7)];
        Assert.Equal([.. firstBatch, .. firstBatch, .. written.Skip(7)], consumer.Attempted);
    }

    [SkippableFact]
    public async Task Dispatcher_TwoNodesOverOnePostgreSql_EachEventHandledOnceByOneNode()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = await database.CreateSchemaAsync() };
        await using PostgreSqlFhirStore a = await PostgreSqlFhirStore.OpenAsync(options, TimeProvider.System);
        await using PostgreSqlFhirStore b = await PostgreSqlFhirStore.OpenAsync(options, TimeProvider.System);
        var onA = new RecordingConsumer("mpi", "A");
        var onB = new RecordingConsumer("mpi", "B", onA.Handled);

        Task<IReadOnlyList<long>> writesOnA = CommitPatientsAsync(a, "a", 60);
        Task<IReadOnlyList<long>> writesOnB = CommitPatientsAsync(b, "b", 60);
        List<long> written = [.. (await writesOnA).Concat(await writesOnB)];
        await RunUntilAsync([Dispatcher(a, onA), Dispatcher(b, onB)], () => onA.Handled.Count >= written.Count);

        Assert.Equal(written.Order(), onA.Handled.Select(h => h.Sequence).Order());
        Assert.Equal(written.Count, onA.Handled.Select(h => h.Sequence).Distinct().Count());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static OutboxDispatcher Dispatcher(IFhirStore store, IOutboxConsumer consumer) => new(
        store,
        [consumer],
        new OutboxSignal(),
        Options.Create(new FhirEngineOptions { OutboxPollInterval = TimeSpan.FromMilliseconds(20), OutboxBatchSize = 7, OutboxLeaseIdleRounds = 2 }),
        NullLogger<OutboxDispatcher>.Instance);

    private static async Task<IReadOnlyList<long>> CommitPatientsAsync(IFhirStore store, string prefix, int count)
    {
        List<long> sequences = [];
        for (int i = 0; i < count; i++)
        {
            var write = new ResourceWrite("Patient", $"{prefix}{i}", 1, 0, DateTimeOffset.UnixEpoch, WriteMethod.Create, """{"resourceType":"Patient"}"""u8.ToArray(), null, [], []);
            sequences.AddRange(await store.CommitAsync(Changeset.Of(write), None));
        }

        return sequences;
    }

    private static async Task RunUntilAsync(IReadOnlyList<OutboxDispatcher> dispatchers, Func<bool> done)
    {
        foreach (OutboxDispatcher dispatcher in dispatchers)
        {
            await dispatcher.StartAsync(None);
        }

        try
        {
            for (DateTime deadline = DateTime.UtcNow + Deadline; !done() && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            foreach (OutboxDispatcher dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(None);
                dispatcher.Dispose();
            }
        }
    }

    private sealed class RecordingConsumer(string name, string node, ConcurrentQueue<(string Node, long Sequence)>? shared = null) : IOutboxConsumer
    {
        public string Name => name;

        public int FailuresLeft { get; set; }

        public ConcurrentQueue<(string Node, long Sequence)> Handled { get; } = shared ?? new();

        public ConcurrentQueue<long> Attempted { get; } = new();

        public Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
        {
            foreach (OutboxEvent e in events)
            {
                Attempted.Enqueue(e.Sequence);
            }

            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("a handler failure the dispatcher must survive");
            }

            foreach (OutboxEvent e in events)
            {
                Handled.Enqueue((node, e.Sequence));
            }

            return Task.CompletedTask;
        }
    }
}
