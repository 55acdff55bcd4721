using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>
/// Keeps the catalog in step with the store. At start-up it compiles every stored CodeSystem, ValueSet and ConceptMap;
/// afterwards it reads their type history since the last check every <see cref="TerminologyOptions.RefreshInterval"/>,
/// so writes made by other nodes over the same database (and deletes) reach this node. Reading a window that overlaps
/// the previous one costs a few repeated rows, which the catalog ignores by version, and covers commits that were still
/// in flight, or stamped by a node whose clock runs a little behind, when the previous window was read.
/// </summary>
internal sealed partial class TerminologySync(
    IFhirStore store,
    TerminologyCatalog catalog,
    TimeProvider time,
    IOptions<TerminologyOptions> options,
    ILogger<TerminologySync> logger) : IAsyncDisposable
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);
    private static readonly string[] Types = [TerminologyTypes.CodeSystem, TerminologyTypes.ValueSet, TerminologyTypes.ConceptMap];

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private DateTimeOffset _checkedAt;
    private Task? _loop;

    /// <summary>Loads what is stored and starts following later writes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => FollowAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Compiles every current terminology resource of the store.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset started = time.GetUtcNow();
        int count = 0;
        foreach (string type in Types)
        {
            await foreach (StoredResource resource in store.StreamCurrentAsync(type, null, null, cancellationToken).ConfigureAwait(false))
            {
                count += catalog.Apply(resource.Type, resource.Id, resource.VersionId, resource.Json) ? 1 : 0;
            }
        }

        _checkedAt = started;
        LogLoaded(logger, count);
    }

    /// <summary>Takes in terminology written since the last check, by any node; returns how many versions changed the catalog.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset started = time.GetUtcNow();
            DateTimeOffset since = _checkedAt - Overlap;
            int changed = 0;
            foreach (string type in Types)
            {
                var versions = new List<StoredResource>();
                long? before = null;
                do
                {
                    HistoryPage page = await store.ReadHistoryAsync(new HistoryQuery(type, null, since, 500, before), cancellationToken).ConfigureAwait(false);
                    versions.AddRange(page.Entries);
                    before = page.NextBefore;
                }
                while (before is not null);

                // History comes newest first; the catalog wants each resource's versions in order.
                for (int i = versions.Count - 1; i >= 0; i--)
                {
                    StoredResource v = versions[i];
                    changed += catalog.Apply(v.Type, v.Id, v.VersionId, v.IsDeleted ? ReadOnlyMemory<byte>.Empty : v.Json) ? 1 : 0;
                }
            }

            _checkedAt = started;
            return changed;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _oneAtATime.Dispose();
    }

    private async Task FollowAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await CatchUpAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store hiccup must not end the loop: the next tick reads the same window again.
                LogCatchUpFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "{Count} stored terminology resources compiled")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Reading terminology changes from the store failed; retrying on the next tick")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception);
}
