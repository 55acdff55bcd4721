using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Reindexing;

/// <summary>
/// Rebuilds the search index of stored resources in the background while the server keeps serving: each batch
/// rewrites the rows of resources whose version is still current, so a concurrent write is never overwritten
/// with an older index. Needed after a new SearchParameter and after a schema upgrade that adds index tables.
/// </summary>
public sealed class ReindexRunner(IFhirStore store, SearchIndexer indexer, TimeProvider time, ILogger<ReindexRunner> logger) : IDisposable
{
    /// <summary>The store setting that asks for a full reindex on the next start (a migration sets it).</summary>
    public const string RequiredStateKey = "reindex-required";

    private const int BatchSize = 500;

    private readonly ConcurrentDictionary<string, ReindexJob> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public ReindexJob? Find(string id) => _jobs.TryGetValue(id, out ReindexJob? job) ? job : null;

    /// <summary>Starts a run over one type, or every type when null, and returns at once.</summary>
    public ReindexJob Start(string? type)
    {
        var job = new ReindexJob(Guid.CreateVersion7().ToString("n"), type, time.GetUtcNow());
        _jobs[job.Id] = job;
        _ = System.Threading.Tasks.Task.Run(() => RunAsync(job, _stopping.Token));
        return job;
    }

    /// <summary>Starts a full run when the store asks for one; the request is cleared when the run completes.</summary>
    public async Task<ReindexJob?> StartIfRequiredAsync(CancellationToken ct)
    {
        string? reason = await store.GetStateAsync(RequiredStateKey, ct).ConfigureAwait(false);
        if (reason is null)
        {
            return null;
        }

        logger.LogInformation("Reindexing every resource: {Reason}", reason);
        return Start(null);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(ReindexJob job, CancellationToken ct)
    {
        try
        {
            await PassAsync(job.Type is null ? ModelInfo.SupportedResources : [job.Type], null, null, job.Progress, ct).ConfigureAwait(false);

            if (job.Type is null)
            {
                await store.SetStateAsync(RequiredStateKey, null, ct).ConfigureAwait(false);
            }

            job.Complete(time.GetUtcNow());
            logger.LogInformation("Reindex {Job} completed: {Processed} resources, {Updated} rewritten", job.Id, job.Processed, job.Updated);
        }
        catch (OperationCanceledException)
        {
            job.Fail(time.GetUtcNow(), "stopped with the server; run $reindex again");
        }
#pragma warning disable CA1031 // A background job reports its failure through its status instead of crashing the server.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            logger.LogError(exception, "Reindex {Job} failed", job.Id);
            job.Fail(time.GetUtcNow(), exception.Message);
        }
    }

    /// <summary>
    /// Rewrites, in the caller's flow, the index of every current resource whose stored JSON <paramref name="mayApply"/>
    /// lets through (a cheap test on the bytes, before parsing) and whose fresh entries <paramref name="affected"/>
    /// selects; the others are left alone. Returns how many were rewritten.
    /// </summary>
    /// <param name="since">Only resources last updated at or after this instant; all when null.</param>
    public async Task<long> ReindexAsync(
        Func<ReadOnlyMemory<byte>, bool> mayApply,
        Func<IReadOnlyList<IndexEntry>, bool> affected,
        DateTimeOffset? since,
        CancellationToken ct)
    {
        long rewritten = 0;
        await PassAsync(ModelInfo.SupportedResources, (mayApply, affected), since, (_, updated) => rewritten += updated, ct).ConfigureAwait(false);
        return rewritten;
    }

    private async Task PassAsync(
        IEnumerable<string> types,
        (Func<ReadOnlyMemory<byte>, bool> MayApply, Func<IReadOnlyList<IndexEntry>, bool> Affected)? only,
        DateTimeOffset? since,
        Action<int, int> progress,
        CancellationToken ct)
    {
        var batch = new List<IndexReplacement>(BatchSize);
        foreach (string type in types)
        {
            await foreach (StoredResource stored in store.StreamCurrentAsync(type, since, null, ct).ConfigureAwait(false))
            {
                if (only is { } skip && !skip.MayApply(stored.Json))
                {
                    continue;
                }

                IReadOnlyList<IndexEntry> index = indexer.Extract(FhirCodec.ParseStored(stored.Json.Span));
                if (only is { } filter && !filter.Affected(index))
                {
                    continue;
                }

                batch.Add(new IndexReplacement(stored.Key, stored.VersionId, index));
                if (batch.Count == BatchSize)
                {
                    await FlushAsync(batch, progress, ct).ConfigureAwait(false);
                }
            }
        }

        await FlushAsync(batch, progress, ct).ConfigureAwait(false);
    }

    private async Task FlushAsync(List<IndexReplacement> batch, Action<int, int> progress, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        int updated = await store.ReplaceIndexAsync([.. batch], ct).ConfigureAwait(false);
        progress(batch.Count, updated);
        batch.Clear();
    }
}
