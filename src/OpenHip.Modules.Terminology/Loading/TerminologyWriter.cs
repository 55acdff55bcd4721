using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Writes terminology resources through the engine's write path (<see cref="ResourceWriteFactory"/>: validation,
/// write hooks, indexing; <see cref="ChangesetCommitter"/>: one atomic commit per chunk) as idempotent updates of
/// stable ids: a resource whose current version already has the same content is not written again. Two processes
/// loading the same content at once end with one version of each resource: the loser of a race re-plans its chunk
/// and then finds the content current.
/// </summary>
public sealed class TerminologyWriter(
    IFhirStore store,
    ResourceWriteFactory writes,
    ChangesetCommitter commits,
    IOptions<TerminologyOptions> options,
    IOptions<FhirEngineOptions> engine)
{
    // Chunks keep a commit's transaction and memory bounded while still sharing one fsync among many small resources.
    private const int ChunkResources = 100;
    private const long ChunkBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Prepares every resource through the write path (id, duplicates, validation, size, a different resource already
    /// at its id) before committing any, then commits those whose content changed.
    /// </summary>
    /// <param name="onRefused">
    /// Null: a resource that cannot be written (invalid, or another canonical at its id) stops the load before anything
    /// is written. Otherwise that resource is handed to this callback and left out, and the others are written.
    /// </param>
    /// <exception cref="TerminologyLoadException">A resource cannot be written; nothing was.</exception>
    public async Task<TerminologyWriteSummary> WriteAsync(
        IReadOnlyList<LoadedResource> resources,
        FhirRequestContext context,
        CancellationToken ct,
        Action<TerminologyLoadException>? onRefused = null)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(context);
        List<Planned> planned = await PlanAsync(resources, context, onRefused, ct).ConfigureAwait(false);
        int created = 0;
        int updated = 0;
        foreach (List<Planned> chunk in Chunks(planned))
        {
            (int c, int u) = await WriteChunkAsync(chunk, context, ct).ConfigureAwait(false);
            created += c;
            updated += u;
        }

        return new TerminologyWriteSummary(created, updated, planned.Count - created - updated, resources.Count - planned.Count);
    }

    private async Task<List<Planned>> PlanAsync(
        IReadOnlyList<LoadedResource> resources, FhirRequestContext context, Action<TerminologyLoadException>? onRefused, CancellationToken ct)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        List<Planned> planned = new(resources.Count);
        foreach (LoadedResource loaded in resources)
        {
            Resource resource = loaded.Resource;
            string id = StableIds.IsValid(resource.Id)
                ? resource.Id
                : throw new TerminologyLoadException(loaded.Origin, null, $"{resource.TypeName} has no valid id");
            string key = $"{resource.TypeName}/{id}";
            if (!seen.TryAdd(key, loaded.Origin))
            {
                throw new TerminologyLoadException(loaded.Origin, null, $"{key} is also loaded from {seen[key]}; give each its own --id");
            }

            StoredResource? current = await store.ReadCurrentAsync(resource.TypeName, id, ct).ConfigureAwait(false);
            ResourceWrite write;
            try
            {
                EnsureSameCanonical(loaded, current);
                write = Prepare(loaded, id, current, context);
            }
            catch (TerminologyLoadException ex) when (onRefused is not null)
            {
                onRefused(ex);
                continue;
            }

            if (write.Json.Length > options.Value.MaxResourceBytes)
            {
                throw new TerminologyLoadException(loaded.Origin, null,
                    $"{key} is {write.Json.Length:N0} bytes of JSON, over Modules:Terminology:MaxResourceBytes ({options.Value.MaxResourceBytes:N0}); split the content or raise the limit (OPENHIP__Modules__Terminology__MaxResourceBytes)");
            }

            byte[] hash = ContentHash.Of(write.Json.Span);
            planned.Add(new Planned(loaded, id, hash, write.Json.Length, IsCurrent(current, hash) ? null : write));
        }

        return planned;
    }

    private async Task<(int Created, int Updated)> WriteChunkAsync(List<Planned> chunk, FhirRequestContext context, CancellationToken ct)
    {
        List<ResourceWrite> batch = [.. chunk.Select(p => p.Write).OfType<ResourceWrite>()];
        for (int attempt = 0; ; attempt++)
        {
            if (batch.Count == 0)
            {
                return (0, 0);
            }

            try
            {
                await commits.CommitAsync(new Changeset(batch), ct).ConfigureAwait(false);
                int created = batch.Count(w => w.ExpectedCurrentVersion == 0);
                return (created, batch.Count - created);
            }
            catch (VersionConflictException) when (attempt < engine.Value.MaxWriteRetries)
            {
                // Another loader (a second node starting) wrote some of these first: re-plan from what is current now,
                // which skips whatever it wrote with the same content.
                batch = [];
                foreach (Planned item in chunk.Where(p => p.Write is not null))
                {
                    StoredResource? current = await store.ReadCurrentAsync(item.Loaded.Resource.TypeName, item.Id, ct).ConfigureAwait(false);
                    if (!IsCurrent(current, item.Hash))
                    {
                        batch.Add(Prepare(item.Loaded, item.Id, current, context));
                    }
                }
            }
        }
    }

    private ResourceWrite Prepare(LoadedResource loaded, string id, StoredResource? current, FhirRequestContext context)
    {
        try
        {
            return writes.ForUpsert(loaded.Resource, id, current?.VersionId ?? 0, WriteMethod.Update, context);
        }
        catch (FhirException ex)
        {
            // Profile validation on write (Fhir:ValidateProfilesOnWrite) or a write hook refused the content.
            throw new TerminologyLoadException(loaded.Origin, null, string.Join("; ", ex.Issues.Select(i => i.Expression is null ? i.Diagnostics : $"{i.Expression}: {i.Diagnostics}")));
        }
    }

    private static bool IsCurrent(StoredResource? current, byte[] hash) =>
        current is { IsDeleted: false } && ContentHash.Of(current.Json.Span).AsSpan().SequenceEqual(hash);

    private static IEnumerable<List<Planned>> Chunks(List<Planned> planned)
    {
        List<Planned> chunk = [];
        long bytes = 0;
        foreach (Planned item in planned)
        {
            if (chunk.Count > 0 && (chunk.Count >= ChunkResources || bytes + item.Bytes > ChunkBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(item);
            bytes += item.Bytes;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>A load updates what it loaded before; it never replaces another artifact that happens to use the same id.</summary>
    private static void EnsureSameCanonical(LoadedResource loaded, StoredResource? current)
    {
        if (current is not { IsDeleted: false } || loaded.Resource is not IVersionableConformanceResource { Url: { } url })
        {
            return;
        }

        if (JsonPeek.TopLevelString(current.Json.Span, "url"u8) is { } existing && existing != url)
        {
            throw new TerminologyLoadException(loaded.Origin, null,
                $"{current.Type}/{current.Id} already exists for {existing}, not {url}; give this content another --id");
        }
    }

    /// <param name="Write">The new version to commit; null when the store already holds this content.</param>
    private sealed record Planned(LoadedResource Loaded, string Id, byte[] Hash, int Bytes, ResourceWrite? Write);
}
