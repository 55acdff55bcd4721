using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Events;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Tests.Events;

/// <summary>The change feed against a real store, with this node's own commits racing it.</summary>
public sealed class ChangeFeedTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-changefeed", Guid.NewGuid().ToString("n"));

    /// <summary>
    /// Regression: with group commit the feed read this node's new Patients before their requests had told the write
    /// hooks, so the MPI's Patient index read and applied every one of them a second time (and on an encrypted store
    /// decrypted it too), about 45 µs of CPU per create.
    /// </summary>
    [Fact]
    public async Task Feed_OwnCommitInTheOutboxBeforeItsHooksRan_ObserversSeeItAfterTheHooks()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "feed.db") });
        var signal = new OutboxSignal();
        var local = new LocalCommits();
        var told = new ConcurrentDictionary<string, bool>();
        var observer = new RecordingObserver(told);
        var hook = new SlowHook(signal, local, observer, told);
        var commits = new ChangesetCommitter(store, [hook], signal, TimeProvider.System, null, local);
        using var feed = new ChangeFeed(
            store, [observer], signal, local, Options.Create(new FhirEngineOptions { OutboxPollInterval = TimeSpan.FromMilliseconds(20) }), NullLogger<ChangeFeed>.Instance);
        await feed.MarkStartAsync(None);
        await feed.StartAsync(None);
        try
        {
            var write = new ResourceWrite("Patient", "p1", 1, 0, DateTimeOffset.UnixEpoch, WriteMethod.Create, """{"resourceType":"Patient"}"""u8.ToArray(), null, [], []);
            await commits.CommitAsync(Changeset.Of(write), None);
            for (DateTime deadline = DateTime.UtcNow + Deadline; observer.Seen.IsEmpty && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            await feed.StopAsync(None);
        }

        (string id, bool hookHadRun) = Assert.Single(observer.Seen);
        Assert.Equal("p1", id);
        Assert.True(hookHadRun, "the feed handed the observer a version whose write hooks had not run yet");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed class RecordingObserver(ConcurrentDictionary<string, bool> told) : IChangeObserver
    {
        public ConcurrentQueue<(string Id, bool HookHadRun)> Seen { get; } = new();

        public Task OnChangesAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
        {
            foreach (OutboxEvent e in events)
            {
                Seen.Enqueue((e.Id, told.ContainsKey(e.Id)));
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// A hook that is slow to be told, as a request waiting its turn on the thread pool is: it wakes the feed (which
    /// then reads the version from the outbox) and returns only once the feed has either waited for it or handed the
    /// version to the observer.
    /// </summary>
    private sealed class SlowHook(OutboxSignal signal, LocalCommits local, RecordingObserver observer, ConcurrentDictionary<string, bool> told)
        : IResourceWriteHook
    {
        public bool Inspects(string resourceType) => false;

        public void OnWriting(Resource resource)
        {
        }

        public void OnCommitted(IReadOnlyList<ResourceWrite> writes)
        {
            int waitsBefore = local.Waits;
            signal.Notify();
            SpinWait.SpinUntil(() => local.Waits > waitsBefore || !observer.Seen.IsEmpty, Deadline);
            foreach (ResourceWrite write in writes)
            {
                told[write.Id] = true;
            }
        }
    }
}
