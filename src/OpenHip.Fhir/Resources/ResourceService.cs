using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Resources;

/// <summary>
/// The RESTful interactions on single resources. Every write is planned from the current version, committed as one
/// changeset, and re-planned when a concurrent writer got there first (unless the client pinned a version with If-Match).
/// Every interaction applies the caller's access policy: a type they have no right on is 403; a resource outside their
/// condition is 404, exactly like one that does not exist; a write may not leave their condition (403).
/// </summary>
public sealed class ResourceService(
    IFhirStore store,
    ChangesetCommitter commits,
    ResourceWriteFactory writes,
    ConditionalQueryParser conditions,
    IResourceIdGenerator ids,
    AccessGuard guard,
    IOptions<FhirEngineOptions> options,
    Audit.IAuditEventReader? auditEvents = null)
{
    private readonly FhirEngineOptions _options = options.Value;

    // Per type, whether the last conditional create found a match. A load of new data finds none, and its creates go
    // straight to the guard; a second load of the same data finds one each time, and building each write only to see
    // the guard refuse it took twice as long as looking first, so after a match creates of that type look first again
    // until a lookup finds nothing.
    private readonly ConcurrentDictionary<string, bool> _lastCreateMatched = new(StringComparer.Ordinal);

    public async Task<StoredResource> ReadAsync(string type, string id, AccessPolicy access, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        if (type == "AuditEvent" && auditEvents is not null)
        {
            return await ReadAuditEventAsync(id, access, ct).ConfigureAwait(false);
        }
        StoredResource current = await CurrentAsync(type, id, AccessGuard.Require(access, type, AccessRights.Read), ct).ConfigureAwait(false);
        return AccessGuard.Mask(access, current);
    }

    /// <summary>
    /// An AuditEvent comes from the audit log. Only callers with unconditional read access on AuditEvent see it: the
    /// log has no index entries to judge a conditional policy by, so a filtered caller gets the 404 of "not there".
    /// </summary>
    private async Task<StoredResource> ReadAuditEventAsync(string id, AccessPolicy access, CancellationToken ct)
    {
        TypeAccess read = AccessGuard.Require(access, "AuditEvent", AccessRights.Read);
        StoredResource? stored = read.IsFiltered ? null : await auditEvents!.ReadAsync(id, ct).ConfigureAwait(false);
        return stored is null ? throw FhirException.NotFound($"AuditEvent/{id} is not known") : AccessGuard.Mask(access, stored);
    }

    public async Task<StoredResource> VReadAsync(string type, string id, string version, AccessPolicy access, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureValidId(id);
        long versionId = ResourceIds.ParseVersion(version);
        TypeAccess read = AccessGuard.Require(access, type, AccessRights.Read);
        StoredResource? stored = await store.ReadVersionAsync(type, id, versionId, ct).ConfigureAwait(false);
        if (stored is null || (read.IsFiltered && !guard.Admits(read, stored)))
        {
            throw FhirException.NotFound($"{type}/{id}/_history/{version} is not known");
        }

        return stored.IsDeleted ? throw FhirException.Gone($"{type}/{id}/_history/{version} is a deletion") : AccessGuard.Mask(access, stored);
    }

    public async Task<InteractionResult> CreateAsync(Resource resource, string? ifNoneExist, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(resource.TypeName);
        ResourceIds.EnsureWritableType(resource.TypeName);
        TypeAccess create = AccessGuard.Require(context.Access, resource.TypeName, AccessRights.Create);
        TokenQuery? criteria = null;
        TypeAccess read = default;
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            // The match is answered with the existing resource, so matching needs the right to read it.
            criteria = conditions.Parse(resource.TypeName, ifNoneExist, 2);
            read = AccessGuard.Require(context.Access, resource.TypeName, AccessRights.Read);
            if (read.Filter is null
                && !_lastCreateMatched.GetValueOrDefault(resource.TypeName)
                && await TryCreateUnlessMatchedAsync(resource, criteria, create, context, ct).ConfigureAwait(false) is { } created)
            {
                return created;
            }
        }

        for (int attempt = 0; ; attempt++)
        {
            if (criteria is not null)
            {
                string? existing = Single(await guard.FindAsync(criteria, read, ct).ConfigureAwait(false), resource.TypeName, ifNoneExist!);
                RememberCreateMatched(resource.TypeName, existing is not null);
                if (existing is not null)
                {
                    return InteractionResult.Ok(await ReadAsync(resource.TypeName, existing, context.Access, ct).ConfigureAwait(false));
                }
            }

            // A create ignores any id in the body (R4 3.1.0.7): the server assigns one.
            ResourceWrite write = writes.ForUpsert(resource, ids.NewId(), 0, WriteMethod.Create, context);
            EnsureAdmitted(create, write, context.Access);
            try
            {
                await commits.CommitAsync(Guarded(write, criteria), context, ct).ConfigureAwait(false);
                return InteractionResult.Created(ToStored(write));
            }
            catch (CreateGuardViolatedException) when (attempt < _options.MaxWriteRetries)
            {
                // Another request created a match first; the next round finds it.
            }
            catch (CreateGuardViolatedException)
            {
                // Still matched after every retry: the match is one this caller cannot see.
                throw FhirException.Conflict($"A {resource.TypeName} matching '{ifNoneExist}' exists that this request may not use; nothing was created");
            }
        }
    }

    /// <summary>
    /// A conditional create by a caller who sees every resource of the type, with the lookup left to the create guard
    /// that the commit checks anyway inside its transaction: when loading data nearly every conditional create finds
    /// nothing, and a lookup before the commit would cost a second query (on PostgreSQL a round trip, a plan and an
    /// executor start). Null when the guard met a match, or the write was refused (a refusal is no answer while a
    /// match may exist: the lookup comes first there); the checked path in <see cref="CreateAsync"/> then answers as it
    /// would have without this attempt, and the attempt's warnings are dropped.
    /// </summary>
    private async Task<InteractionResult?> TryCreateUnlessMatchedAsync(
        Resource resource, TokenQuery criteria, TypeAccess create, FhirRequestContext context, CancellationToken ct)
    {
        using WriteWarnings.Held warnings = WriteWarnings.Hold();
        try
        {
            ResourceWrite write = writes.ForUpsert(resource, ids.NewId(), 0, WriteMethod.Create, context);
            EnsureAdmitted(create, write, context.Access);
            await commits.CommitAsync(Guarded(write, criteria), context, ct).ConfigureAwait(false);
            warnings.Keep();
            return InteractionResult.Created(ToStored(write));
        }
        catch (CreateGuardViolatedException)
        {
            RememberCreateMatched(resource.TypeName, true);
            return null;
        }
        catch (FhirException)
        {
            return null;
        }
    }

    private void RememberCreateMatched(string type, bool matched)
    {
        // Written only on a change: concurrent creates of one type would otherwise contend on the entry.
        if (_lastCreateMatched.GetValueOrDefault(type) != matched)
        {
            _lastCreateMatched[type] = matched;
        }
    }

    public async Task<InteractionResult> UpdateAsync(string type, string id, Resource resource, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureWritableType(type);
        ResourceIds.EnsureValidId(id);
        EnsureBodyMatches(type, id, resource);
        return await UpsertAsync(resource, id, ifMatch, WriteMethod.Update, context, ct).ConfigureAwait(false);
    }

    public async Task<InteractionResult> ConditionalUpdateAsync(string type, string query, Resource resource, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureWritableType(type);
        if (resource.TypeName != type)
        {
            throw FhirException.BadRequest($"The body is a {resource.TypeName}, the URL names {type}", "resourceType");
        }

        TypeAccess update = AccessGuard.Require(context.Access, type, AccessRights.Update);
        bool clientChoseId = resource.Id is not null;
        for (int attempt = 0; ; attempt++)
        {
            TokenQuery criteria = conditions.Parse(type, query, 2);
            string? match = Single(await guard.FindAsync(criteria, update, ct).ConfigureAwait(false), type, query);
            if (match is not null && resource.Id is not null && resource.Id != match)
            {
                throw FhirException.BadRequest($"The body's id '{resource.Id}' differs from the matched resource {type}/{match}", "id");
            }

            string id = match ?? resource.Id ?? ids.NewId();
            ResourceIds.EnsureValidId(id);
            try
            {
                return await UpsertAsync(resource, id, ifMatch, WriteMethod.Update, context, ct, match is null ? criteria : null, serverAssignedId: match is null && !clientChoseId).ConfigureAwait(false);
            }
            catch (CreateGuardViolatedException) when (attempt < _options.MaxWriteRetries)
            {
                // Another request created a match first; the next round updates it.
            }
            catch (CreateGuardViolatedException)
            {
                throw FhirException.Conflict($"A {type} matching '{query}' exists that this request may not update; nothing was written");
            }
        }
    }

    public async Task<InteractionResult> PatchAsync(string type, string id, Func<Resource, Resource> applyPatch, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureWritableType(type);
        ResourceIds.EnsureValidId(id);
        TypeAccess update = AccessGuard.Require(context.Access, type, AccessRights.Update);
        for (int attempt = 0; ; attempt++)
        {
            StoredResource current = await CurrentAsync(type, id, update, ct).ConfigureAwait(false);
            CheckIfMatch(current, ifMatch, type, id);
            Resource patched = applyPatch(FhirCodec.ParseStored(current.Json.Span));
            if (patched.TypeName != type || patched.Id != id)
            {
                throw FhirException.Unprocessable("A patch may not change the resource type or id");
            }

            ResourceWrite write = writes.ForUpsert(patched, id, current.VersionId, WriteMethod.Patch, context);
            EnsureAdmitted(update, write, context.Access);
            if (await TryCommitAsync(write, ifMatch, attempt, context, ct).ConfigureAwait(false))
            {
                return InteractionResult.Ok(ToStored(write));
            }
        }
    }

    public async Task<InteractionResult> DeleteAsync(string type, string id, long? ifMatch, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureWritableType(type);
        ResourceIds.EnsureValidId(id);
        TypeAccess delete = AccessGuard.Require(context.Access, type, AccessRights.Delete);
        for (int attempt = 0; ; attempt++)
        {
            StoredResource? current = await guard.ReadVisibleAsync(type, id, delete, ct).ConfigureAwait(false);
            if (current is null && delete.IsFiltered)
            {
                // Absent and hidden look the same to a filtered caller (no existence oracle).
                throw FhirException.NotFound($"{type}/{id} is not known");
            }

            if (current is null || current.IsDeleted)
            {
                // Deleting what is not there is not an error (R4 3.1.0.7.1): the end state is what the client asked for.
                return ifMatch is null ? InteractionResult.NoContent() : throw FhirException.PreconditionFailed($"{type}/{id} has no current version");
            }

            CheckIfMatch(current, ifMatch, type, id);
            ResourceWrite write = writes.ForDelete(type, id, current.VersionId, context);
            if (await TryCommitAsync(write, ifMatch, attempt, context, ct).ConfigureAwait(false))
            {
                return InteractionResult.NoContent(ToStored(write));
            }
        }
    }

    public async Task<int> ConditionalDeleteAsync(string type, string query, FhirRequestContext context, CancellationToken ct)
    {
        ResourceIds.EnsureKnownType(type);
        ResourceIds.EnsureWritableType(type);
        TypeAccess delete = AccessGuard.Require(context.Access, type, AccessRights.Delete);
        for (int attempt = 0; ; attempt++)
        {
            IReadOnlyList<string> matches = await guard.FindAsync(
                conditions.Parse(type, query, _options.MaxConditionalDeletes + 1), delete, ct).ConfigureAwait(false);
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
                await commits.CommitAsync(new Changeset(deletes), context, ct).ConfigureAwait(false);
                return deletes.Count;
            }
            catch (VersionConflictException) when (attempt < _options.MaxWriteRetries)
            {
            }
        }
    }

    /// <summary>
    /// _history at any level. A filtered caller gets only versions whose own content meets their condition (of
    /// resources they can still see), no deletions, and no total; an instance they cannot see at all is 404.
    /// </summary>
    public async Task<HistoryPage> HistoryAsync(HistoryQuery query, AccessPolicy access, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Type is not null)
        {
            ResourceIds.EnsureKnownType(query.Type);
        }

        if (query.Id is not null)
        {
            ResourceIds.EnsureValidId(query.Id);
        }

        if (access.IsUnrestricted)
        {
            return await store.ReadHistoryAsync(query, ct).ConfigureAwait(false);
        }

        HistoryQuery secured;
        if (query.Type is { } type)
        {
            TypeAccess read = AccessGuard.Require(access, type, AccessRights.Read);
            secured = query with { Visible = query.Id is null ? read.Filter : null };
        }
        else
        {
            IReadOnlyList<string> types = SearchAccess.Readable([], access);
            secured = query with { Types = types, Visible = access.Visible(types, AccessRights.Read) };
        }

        HistoryPage page = await store.ReadHistoryAsync(secured, ct).ConfigureAwait(false);
        var visible = page.Entries.Where(v => access.For(v.Type, AccessRights.Read) is { Allowed: true } read && (!read.IsFiltered || guard.Admits(read, v))).ToList();
        bool filtered = visible.Count != page.Entries.Count || page.Entries.Any(v => access.For(v.Type, AccessRights.Read).IsFiltered);
        if (query.Id is not null && query.Before is null && visible.Count == 0)
        {
            throw FhirException.NotFound($"{query.Type}/{query.Id} is not known");
        }

        return filtered || secured.Visible is not null
            ? new HistoryPage(AccessGuard.Mask(access, visible), page.NextBefore, null)
            : page with { Entries = AccessGuard.Mask(access, page.Entries) };
    }

    /// <summary>The single id matching a conditional query among what the caller may <paramref name="right"/>, null for none; several matches fail with 412.</summary>
    public async Task<string?> FindSingleAsync(string type, string query, AccessPolicy access, AccessRights right, CancellationToken ct)
    {
        TypeAccess granted = AccessGuard.Require(access, type, right);
        IReadOnlyList<string> matches = await guard.FindAsync(conditions.Parse(type, query, 2), granted, ct).ConfigureAwait(false);
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
        Resource resource, string id, long? ifMatch, WriteMethod method, FhirRequestContext context, CancellationToken ct, TokenQuery? createGuard = null, bool serverAssignedId = false)
    {
        TypeAccess update = AccessGuard.Require(context.Access, resource.TypeName, AccessRights.Update);
        for (int attempt = 0; ; attempt++)
        {
            StoredResource? current = await guard.ReadVisibleAsync(resource.TypeName, id, update, ct).ConfigureAwait(false);
            if (current is null && update.IsFiltered && !serverAssignedId)
            {
                // A filtered caller cannot create with an id of its choosing: "hidden" and "absent" must look the same.
                throw FhirException.NotFound($"{resource.TypeName}/{id} is not known");
            }

            if (ifMatch is not null)
            {
                if (current is null || current.IsDeleted)
                {
                    throw FhirException.PreconditionFailed($"{resource.TypeName}/{id} has no current version to match");
                }

                CheckIfMatch(current, ifMatch, resource.TypeName, id);
            }

            ResourceWrite write = writes.ForUpsert(resource, id, current?.VersionId ?? 0, method, context);
            EnsureAdmitted(current is null || current.IsDeleted ? AccessGuard.Require(context.Access, resource.TypeName, AccessRights.Create) : update, write, context.Access);
            if (await TryCommitAsync(write, ifMatch, attempt, context, ct, current is null || current.IsDeleted ? createGuard : null).ConfigureAwait(false))
            {
                bool created = current is null || current.IsDeleted;
                return created ? InteractionResult.Created(ToStored(write)) : InteractionResult.Ok(ToStored(write));
            }
        }
    }

    private async Task<bool> TryCommitAsync(ResourceWrite write, long? ifMatch, int attempt, FhirRequestContext context, CancellationToken ct, TokenQuery? createGuard = null)
    {
        try
        {
            await commits.CommitAsync(Guarded(write, createGuard), context, ct).ConfigureAwait(false);
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

    /// <summary>
    /// For a transaction's plan: the current version the caller may change with <paramref name="right"/>, null when there
    /// is none; a filtered caller gets 404 for absent and hidden alike.
    /// </summary>
    public async Task<StoredResource?> CurrentForChangeAsync(string type, string id, AccessPolicy access, AccessRights right, CancellationToken ct)
    {
        TypeAccess granted = AccessGuard.Require(access, type, right);
        StoredResource? current = await guard.ReadVisibleAsync(type, id, granted, ct).ConfigureAwait(false);
        return current is null && granted.IsFiltered ? throw FhirException.NotFound($"{type}/{id} is not known") : current;
    }

    /// <summary>A planned create or update must be the caller's to make and stay inside their condition (deletes are checked on what they delete).</summary>
    public static void EnsureWritable(ResourceWrite write, bool creating, AccessPolicy access)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!write.IsDelete)
        {
            EnsureAdmitted(AccessGuard.Require(access, write.Type, creating ? AccessRights.Create : AccessRights.Update), write, access);
        }
    }

    /// <summary>The current version the caller may see with <paramref name="access"/>: 404 when absent or hidden, 410 when deleted.</summary>
    private async Task<StoredResource> CurrentAsync(string type, string id, TypeAccess access, CancellationToken ct)
    {
        StoredResource? current = await guard.ReadVisibleAsync(type, id, access, ct).ConfigureAwait(false);
        if (current is null)
        {
            throw FhirException.NotFound($"{type}/{id} is not known");
        }

        return current.IsDeleted ? throw FhirException.Gone($"{type}/{id} was deleted") : current;
    }

    /// <summary>A write must stay inside the caller's condition, or it would create or move data out of their reach.</summary>
    internal static void EnsureAdmitted(TypeAccess access, ResourceWrite write, AccessPolicy policy)
    {
        if (!AccessGuard.Admits(access, write))
        {
            throw FhirException.Forbidden($"{write.Type}/{write.Id} as written is outside the access granted to {policy}");
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
