using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Validation;

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
    /// Checks every resource (id, size, duplicates, a different resource already at its id) before writing any, then
    /// writes those that changed.
    /// </summary>
    /// <exception cref="TerminologyLoadException">A resource cannot be written; nothing was.</exception>
    public async Task<TerminologyWriteSummary> WriteAsync(IReadOnlyList<LoadedResource> resources, FhirRequestContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(context);
        List<Planned> planned = await PlanAsync(resources, ct).ConfigureAwait(false);
        int created = 0;
        int updated = 0;
        foreach (List<Planned> chunk in Chunks(planned))
        {
            (int c, int u) = await WriteChunkAsync(chunk, context, ct).ConfigureAwait(false);
            created += c;
            updated += u;
        }

        return new TerminologyWriteSummary(created, updated, planned.Count - created - updated);
    }

    private async Task<List<Planned>> PlanAsync(IReadOnlyList<LoadedResource> resources, CancellationToken ct)
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

            byte[] json = FhirCodec.ToJsonBytes(resource);
            if (json.Length > options.Value.MaxResourceBytes)
            {
                throw new TerminologyLoadException(loaded.Origin, null,
                    $"{key} is {json.Length:N0} bytes of JSON, over Modules:Terminology:MaxResourceBytes ({options.Value.MaxResourceBytes:N0}); split the content or raise the limit");
            }

            if (engine.Value.ValidateProfilesOnWrite)
            {
                Validate(loaded);
            }

            StoredResource? current = await store.ReadCurrentAsync(resource.TypeName, id, ct).ConfigureAwait(false);
            EnsureSameCanonical(loaded, current);
            planned.Add(new Planned(loaded, id, ContentHash.Of(json), json.Length, current));
        }

        return planned;
    }

    private async Task<(int Created, int Updated)> WriteChunkAsync(List<Planned> chunk, FhirRequestContext context, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            List<ResourceWrite> batch = [];
            int created = 0;
            foreach (Planned item in chunk)
            {
                Resource resource = item.Loaded.Resource;
                StoredResource? current = attempt == 0
                    ? item.Current
                    : await store.ReadCurrentAsync(resource.TypeName, item.Id, ct).ConfigureAwait(false);
                bool live = current is { IsDeleted: false };
                if (live && ContentHash.Of(current!.Json.Span).AsSpan().SequenceEqual(item.Hash))
                {
                    continue;
                }

                created += live ? 0 : 1;
                batch.Add(writes.ForUpsert(resource, item.Id, current?.VersionId ?? 0, WriteMethod.Update, context));
            }

            if (batch.Count == 0)
            {
                return (0, 0);
            }

            try
            {
                await commits.CommitAsync(new Changeset(batch), ct).ConfigureAwait(false);
                return (created, batch.Count - created);
            }
            catch (VersionConflictException) when (attempt < engine.Value.MaxWriteRetries)
            {
                // Another loader (a second node starting) wrote one of these first: re-read and skip what it wrote.
            }
        }
    }

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

    private static void Validate(LoadedResource loaded)
    {
        try
        {
            ProfileValidator.Shared.Validate(loaded.Resource).ThrowIfInvalid();
        }
        catch (FhirException ex)
        {
            throw new TerminologyLoadException(loaded.Origin, null, string.Join("; ", ex.Issues.Select(i => $"{i.Expression}: {i.Diagnostics}")));
        }
    }

    private sealed record Planned(LoadedResource Loaded, string Id, byte[] Hash, int Bytes, StoredResource? Current);
}
