using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// The RESTful interactions on single resources. Every write is planned from the current version, committed as one
/// changeset, and re-planned when a concurrent writer got there first (unless the client pinned a version with If-Match).
/// </summary>
public sealed class ResourceService(
    IFhirStore store,
    ChangesetCommitter commits,
    ResourceWriteFactory writes,
    ConditionalQueryParser conditions,
    IResourceIdGenerator ids,
    IOptions<FhirEngineOptions> options)
{
    private readonly FhirEngineOptions _options = options.Value;

    public async Task<StoredResource> ReadAsync(string type, string id, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
        if (current is null)
        {
            throw FhirException.NotFound($"{type}/{id} is not known");
        }

        return current.IsDeleted ? throw FhirException.Gone($"{type}/{id} was deleted") : current;
    }

    public async Task<StoredResource> VReadAsync(string type, string id, string version, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        long versionId = ResourceIds.ParseVersion(version);
        StoredResource? stored = await store.ReadVersionAsync(type, id, versionId, ct).ConfigureAwait(false);
        if (stored is null)
        {
            throw FhirException.NotFound($"{type}/{id}/_history/{version} is not known");
        }

        return stored.IsDeleted ? throw FhirException.Gone($"{type}/{id}/_history/{version} is a deletion") : stored;
    }

    public async Task<InteractionResult> CreateAsync(Resource resource, string? ifNoneExist, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(resource.TypeName);
        for (int attempt = 0; ; attempt++)
        {
            TokenQuery? criteria = null;
            if (!string.IsNullOrWhiteSpace(ifNoneExist))
            {
                criteria = conditions.Parse(resource.TypeName, ifNoneExist, 2);
                string? existing = Single(await store.FindByTokensAsync(criteria, ct).ConfigureAwait(false), resource.TypeName, ifNoneExist);
                if (existing is not null)
                {
                    return InteractionResult.Ok(await ReadAsync(resource.TypeName, existing, ct).ConfigureAwait(false));
                }
            }

            // A create ignores any id in the body (R4 3.1.0.7): the server assigns one.
            ResourceWrite write = writes.ForUpsert(resource, ids.NewId(), 0, WriteMethod.Create, context);
            try
            {
                await commits.CommitAsync(Guarded(write, criteria), ct).ConfigureAwait(false);
                return InteractionResult.Created(ToStored(write));
            }
            catch (CreateGuardViolatedException) when (attempt < _options.MaxWriteRetries)
            {
                // Another request created a match first; the next round finds it.
            }
        }
    }

    public async Task<InteractionResult> UpdateAsync(string type, string id, Resource resource, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        EnsureBodyMatches(type, id, resource);
        return await UpsertAsync(resource, id, ifMatch, WriteMethod.Update, context, ct).ConfigureAwait(false);
    }

    public async Task<InteractionResult> ConditionalUpdateAsync(string type, string query, Resource resource, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        if (resource.TypeName != type)
        {
            throw FhirException.BadRequest($"The body is a {resource.TypeName}, the URL names {type}", "resourceType");
        }

        for (int attempt = 0; ; attempt++)
        {
            TokenQuery criteria = conditions.Parse(type, query, 2);
            string? match = Single(await store.FindByTokensAsync(criteria, ct).ConfigureAwait(false), type, query);
            if (match is not null && resource.Id is not null && resource.Id != match)
            {
                throw FhirException.BadRequest($"The body's id '{resource.Id}' differs from the matched resource {type}/{match}", "id");
            }

            string id = match ?? resource.Id ?? ids.NewId();
            ResourceIds.EnsureValidId(id);
            try
            {
                return await UpsertAsync(resource, id, ifMatch, WriteMethod.Update, context, ct, match is null ? criteria : null).ConfigureAwait(false);
            }
            catch (CreateGuardViolatedException) when (attempt < _options.MaxWriteRetries)
            {
                // Another request created a match first; the next round updates it.
            }
        }
    }

    public async Task<InteractionResult> PatchAsync(string type, string id, Func<Resource, Resource> applyPatch, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        for (int attempt = 0; ; attempt++)
        {
            StoredResource current = await ReadAsync(type, id, ct).ConfigureAwait(false);
            CheckIfMatch(current, ifMatch, type, id);
            Resource patched = applyPatch(FhirCodec.ParseStored(current.Json.Span));
            if (patched.TypeName != type || patched.Id != id)
            {
                throw FhirException.Unprocessable("A patch may not change the resource type or id");
            }

            ResourceWrite write = writes.ForUpsert(patched, id, current.VersionId, WriteMethod.Patch, context);
            if (await TryCommitAsync(write, ifMatch, attempt, ct).ConfigureAwait(false))
            {
                return InteractionResult.Ok(ToStored(write));
            }
        }
    }

    public async Task<InteractionResult> DeleteAsync(string type, string id, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        for (int attempt = 0; ; attempt++)
        {
            StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
            if (current is null || current.IsDeleted)
            {
                // Deleting what is not there is not an error (R4 3.1.0.7.1): the end state is what the client asked for.
                return ifMatch is null ? InteractionResult.NoContent() : throw FhirException.PreconditionFailed($"{type}/{id} has no current version");
            }

            CheckIfMatch(current, ifMatch, type, id);
            ResourceWrite write = writes.ForDelete(type, id, current.VersionId, context);
            if (await TryCommitAsync(write, ifMatch, attempt, ct).ConfigureAwait(false))
            {
                return InteractionResult.NoContent(ToStored(write));
            }
        }
    }

    public async Task<int> ConditionalDeleteAsync(string type, string query, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        for (int attempt = 0; ; attempt++)
        {
            IReadOnlyList<string> matches = await store.FindByTokensAsync(
                conditions.Parse(type, query, _options.MaxConditionalDeletes + 1), ct).ConfigureAwait(false);
            if (matches.Count > _options.MaxConditionalDeletes)
            {
                throw FhirException.PreconditionFailed($"More than {_options.MaxConditionalDeletes} resources match; narrow the criteria");
            }

            List<ResourceWrite> deletes = [];
            foreach (string id in matches)
            {
                StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
                if (current is { IsDeleted: false })
                {
                    deletes.Add(writes.ForDelete(type, id, current.VersionId, context));
                }
            }

            if (deletes.Count == 0)
            {
                return 0;
            }

            try
            {
                await commits.CommitAsync(new Changeset(deletes), ct).ConfigureAwait(false);
                return deletes.Count;
            }
            catch (VersionConflictException) when (attempt < _options.MaxWriteRetries)
            {
            }
        }
    }

    public Task<HistoryPage> HistoryAsync(HistoryQuery query, CancellationToken ct)
    {
        if (query.Type is not null)
        {
            ResourceIds.EnsureKnownType(query.Type);
        }

        if (query.Id is not null)
        {
            ResourceIds.EnsureValidId(query.Id);
        }

        return store.ReadHistoryAsync(query, ct);
    }

    /// <summary>The single id matching a conditional query, null for none; several matches fail with 412.</summary>
    public async Task<string?> FindSingleAsync(string type, string query, CancellationToken ct)
    {
        IReadOnlyList<string> matches = await store.FindByTokensAsync(conditions.Parse(type, query, 2), ct).ConfigureAwait(false);
        return Single(matches, type, query);
    }

    /// <summary>The conditional query as the store's token query (400/412 for what a conditional interaction cannot ask).</summary>
    public TokenQuery ParseConditional(string type, string query) => conditions.Parse(type, query, 2);

    /// <summary>A changeset of one write that, when <paramref name="criteria"/> is given, commits only while nothing else matches them.</summary>
    internal static Changeset Guarded(ResourceWrite write, TokenQuery? criteria) =>
        criteria is null ? Changeset.Of(write) : new Changeset([write]) { Guards = [new CreateGuard(criteria, write.Id)] };

    private static string? Single(IReadOnlyList<string> matches, string type, string query) => matches.Count switch
    {
        0 => null,
        1 => matches[0],
        _ => throw FhirException.PreconditionFailed($"Several {type} resources match '{query}'"),
    };

    internal static StoredResource ToStored(ResourceWrite write) =>
        new(write.Type, write.Id, write.VersionId, write.LastUpdated, write.IsDelete, write.Method, write.Json);

    internal static void EnsureBodyMatches(string type, string id, Resource resource)
    {
        if (resource.TypeName != type)
        {
            throw FhirException.BadRequest($"The body is a {resource.TypeName}, the URL names {type}", "resourceType");
        }

        if (resource.Id is null)
        {
            throw FhirException.BadRequest("An update needs the resource id in the body", "id");
        }

        if (resource.Id != id)
        {
            throw FhirException.BadRequest($"The body's id '{resource.Id}' differs from the URL's '{id}'", "id");
        }
    }

    private async Task<InteractionResult> UpsertAsync(
        Resource resource, string id, long? ifMatch, WriteMethod method, FhirRequestContext context, CancellationToken ct, TokenQuery? createGuard = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            StoredResource? current = await store.ReadCurrentAsync(resource.TypeName, id, ct).ConfigureAwait(false);
            if (ifMatch is not null)
            {
                if (current is null || current.IsDeleted)
                {
                    throw FhirException.PreconditionFailed($"{resource.TypeName}/{id} has no current version to match");
                }

                CheckIfMatch(current, ifMatch, resource.TypeName, id);
            }

            ResourceWrite write = writes.ForUpsert(resource, id, current?.VersionId ?? 0, method, context);
            if (await TryCommitAsync(write, ifMatch, attempt, ct, current is null || current.IsDeleted ? createGuard : null).ConfigureAwait(false))
            {
                bool created = current is null || current.IsDeleted;
                return created ? InteractionResult.Created(ToStored(write)) : InteractionResult.Ok(ToStored(write));
            }
        }
    }

    private async Task<bool> TryCommitAsync(ResourceWrite write, long? ifMatch, int attempt, CancellationToken ct, TokenQuery? createGuard = null)
    {
        try
        {
            await commits.CommitAsync(Guarded(write, createGuard), ct).ConfigureAwait(false);
            return true;
        }
        catch (VersionConflictException) when (ifMatch is null && attempt < _options.MaxWriteRetries)
        {
            return false;
        }
        catch (VersionConflictException ex)
        {
            throw ifMatch is null
                ? FhirException.Conflict($"{ex.Key} is being changed concurrently; retry")
                : FhirException.PreconditionFailed($"{ex.Key} changed since version {ifMatch}");
        }
    }

    private static void CheckIfMatch(StoredResource current, long? ifMatch, string type, string id)
    {
        if (ifMatch is not null && current.VersionId != ifMatch)
        {
            throw FhirException.PreconditionFailed($"{type}/{id} is at version {current.VersionId}, not {ifMatch}");
        }
    }
}
