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
            IEnumerable<string> types = job.Type is null ? ModelInfo.SupportedResources : [job.Type];
            foreach (string type in types)
            {
                var batch = new List<IndexReplacement>(BatchSize);
                await foreach (StoredResource stored in store.StreamCurrentAsync(type, null, null, ct).ConfigureAwait(false))
                {
                    Resource resource = FhirCodec.ParseStored(stored.Json.Span);
                    batch.Add(new IndexReplacement(stored.Key, stored.VersionId, indexer.Extract(resource)));
                    if (batch.Count == BatchSize)
                    {
                        await FlushAsync(job, batch, ct).ConfigureAwait(false);
                    }
                }

                await FlushAsync(job, batch, ct).ConfigureAwait(false);
            }

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

    private async Task FlushAsync(ReindexJob job, List<IndexReplacement> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        int updated = await store.ReplaceIndexAsync([.. batch], ct).ConfigureAwait(false);
        job.Progress(batch.Count, updated);
        batch.Clear();
    }
}
