using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Transactions;

/// <summary>
/// A transaction Bundle as one changeset: identities are assigned first, references rewritten, conditional
/// references resolved, then every write is planned in R4 order (DELETE, POST, PUT/PATCH) and committed atomically.
/// GET entries run after the commit so they see its writes. Any failure rejects the whole Bundle and writes nothing.
/// </summary>
public sealed class TransactionProcessor(
    ChangesetCommitter commits,
    ResourceService resources,
    ResourceWriteFactory writes,
    IResourceIdGenerator ids,
    IPatchHandler patches)
{
    public async Task<ResponseBundle> ProcessAsync(Bundle bundle, FhirRequestContext context, bool returnRepresentation, CancellationToken ct)
    {
        List<Planned> entries = Describe(bundle, context);
        Dictionary<string, string> assigned = await AssignIdentitiesAsync(entries, context.Access, ct).ConfigureAwait(false);
        await RewriteReferencesAsync(entries, assigned, context.Access, ct).ConfigureAwait(false);

        List<ResourceWrite> changes = [];
        HashSet<ResourceKey> touched = [];
        foreach (Planned entry in entries.OrderBy(e => ProcessingRank(e.Method)))
        {
            ResourceWrite? write = await PlanAsync(entry, context, ct).ConfigureAwait(false);
            if (write is null)
            {
                continue;
            }

            if (!touched.Add(write.Key))
            {
                throw FhirException.BadRequest($"{write.Key} appears in more than one entry of the transaction", entry.Expression);
            }

            entry.Write = write;
            changes.Add(write);
        }

        if (changes.Count > 0)
        {
            try
            {
                List<CreateGuard> guards = [.. entries.Where(e => e.CreateCriteria is not null && e.Write is { ExpectedCurrentVersion: 0 })
                    .Select(e => new CreateGuard(e.CreateCriteria!, e.Write!.Id))];
                await commits.CommitAsync(new Changeset(changes) { Guards = guards }, context, ct).ConfigureAwait(false);
            }
            catch (VersionConflictException ex)
            {
                throw FhirException.Conflict($"{ex.Key} changed while the transaction was processed; nothing was written, retry");
            }
            catch (CreateGuardViolatedException ex)
            {
                throw FhirException.Conflict($"{ex.Message}: created by another request while the transaction was processed; nothing was written, retry");
            }
        }

        var response = new ResponseBundle(Bundle.BundleType.TransactionResponse);
        foreach (Planned entry in entries)
        {
            response.Entries.Add(await RespondAsync(entry, returnRepresentation, context.Access, ct).ConfigureAwait(false));
        }

        return response;
    }

    private static List<Planned> Describe(Bundle bundle, FhirRequestContext context)
    {
        List<Planned> entries = [];
        HashSet<string> fullUrls = new(StringComparer.Ordinal);
        for (int i = 0; i < bundle.Entry.Count; i++)
        {
            Bundle.EntryComponent entry = bundle.Entry[i];
            string expression = $"Bundle.entry[{i}]";
            if (entry.Request?.Method is not { } method || string.IsNullOrEmpty(entry.Request.Url))
            {
                throw FhirException.BadRequest("Every transaction entry needs request.method and request.url", $"{expression}.request");
            }

            if (entry.FullUrl is not null && !fullUrls.Add(entry.FullUrl))
            {
                throw FhirException.BadRequest($"fullUrl '{entry.FullUrl}' appears twice", $"{expression}.fullUrl");
            }

            EntryRequest request = EntryRequest.Parse(entry.Request.Url, context.BaseUrl, $"{expression}.request.url");
            if (method is Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT)
            {
                if (entry.Resource is null)
                {
                    throw FhirException.BadRequest($"A {method} entry needs a resource", $"{expression}.resource");
                }

                if (entry.Resource.TypeName != request.Type)
                {
                    throw FhirException.BadRequest($"The entry's resource is a {entry.Resource.TypeName}, its URL names {request.Type}", $"{expression}.resource");
                }
            }

            entries.Add(new Planned(i, expression, method, request, entry));
        }

        return entries;
    }

    private async Task<Dictionary<string, string>> AssignIdentitiesAsync(List<Planned> entries, AccessPolicy access, CancellationToken ct)
    {
        Dictionary<string, string> assigned = new(StringComparer.Ordinal);
        foreach (Planned entry in entries)
        {
            EntryRequest request = entry.Request;
            switch (entry.Method)
            {
                case Bundle.HTTPVerb.POST:
                    if (!string.IsNullOrWhiteSpace(entry.Source.Request!.IfNoneExist))
                    {
                        entry.ExistingId = await resources.FindSingleAsync(request.Type, entry.Source.Request!.IfNoneExist, access, AccessRights.Read, ct).ConfigureAwait(false);
                        entry.CreateCriteria = entry.ExistingId is null ? resources.ParseConditional(request.Type, entry.Source.Request!.IfNoneExist) : null;
                    }

                    entry.Id = entry.ExistingId ?? ids.NewId();
                    break;
                case Bundle.HTTPVerb.PUT when request.Query is not null:
                    entry.ExistingId = await resources.FindSingleAsync(request.Type, request.Query, access, AccessRights.Update, ct).ConfigureAwait(false);
                    entry.CreateCriteria = entry.ExistingId is null ? resources.ParseConditional(request.Type, request.Query) : null;
                    entry.Id = entry.ExistingId ?? entry.Body.Id ?? ids.NewId();
                    break;
                case Bundle.HTTPVerb.PUT:
                    if (request.Id is null)
                    {
                        throw FhirException.BadRequest("A PUT entry needs Type/id or Type?criteria", $"{entry.Expression}.request.url");
                    }

                    ResourceService.EnsureBodyMatches(request.Type, request.Id, entry.Body);
                    entry.Id = request.Id;
                    break;
                default:
                    entry.Id = request.Id;
                    break;
            }

            if (entry.Source.FullUrl is not null && entry.Id is not null && entry.Method is Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT)
            {
                assigned[entry.Source.FullUrl] = $"{request.Type}/{entry.Id}";
            }
        }

        return assigned;
    }

    private async Task RewriteReferencesAsync(List<Planned> entries, Dictionary<string, string> assigned, AccessPolicy access, CancellationToken ct)
    {
        foreach (Planned entry in entries)
        {
            if (entry.Source.Resource is not { } resource || entry.Method is not (Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT))
            {
                continue;
            }

            if (assigned.Count > 0)
            {
                ReferenceRewriter.Rewrite(resource, value => assigned.TryGetValue(value, out string? target) ? target : null);
            }

            foreach (ResourceReference reference in ReferenceRewriter.References(resource))
            {
                if (reference.Reference is not { } value)
                {
                    continue;
                }

                int q = value.IndexOf('?', StringComparison.Ordinal);
                if (q <= 0 || value.AsSpan(0, q).Contains('/'))
                {
                    continue;
                }

                string type = value[..q];
                ResourceIds.EnsureKnownType(type);
                string? id = await resources.FindSingleAsync(type, value[(q + 1)..], access, AccessRights.Read, ct).ConfigureAwait(false);
                reference.Reference = id is not null
                    ? $"{type}/{id}"
                    : throw FhirException.NotFound($"No {type} matches the conditional reference '{value}' in {entry.Expression}");
            }
        }
    }

    private async Task<ResourceWrite?> PlanAsync(Planned entry, FhirRequestContext context, CancellationToken ct)
    {
        EntryRequest request = entry.Request;
        long? ifMatch = ParseIfMatch(entry.Source.Request!.IfMatch, entry.Expression);
        switch (entry.Method)
        {
            case Bundle.HTTPVerb.POST:
                return entry.ExistingId is not null ? null : Checked(writes.ForUpsert(entry.Body, entry.Id!, 0, WriteMethod.Create, context), true, context);
            case Bundle.HTTPVerb.PUT:
                {
                    StoredResource? current = await resources.CurrentForChangeAsync(request.Type, entry.Id!, context.Access, AccessRights.Update, ct).ConfigureAwait(false);
                    CheckIfMatch(current, ifMatch, entry);
                    entry.Created = current is null || current.IsDeleted;
                    return Checked(writes.ForUpsert(entry.Body, entry.Id!, current?.VersionId ?? 0, WriteMethod.Update, context), entry.Created, context);
                }

            case Bundle.HTTPVerb.PATCH:
                {
                    if (entry.Id is null || entry.Source.Resource is null)
                    {
                        throw FhirException.BadRequest("A PATCH entry needs Type/id and a Parameters or Binary patch", entry.Expression);
                    }

                    StoredResource? current = await resources.CurrentForChangeAsync(request.Type, entry.Id, context.Access, AccessRights.Update, ct).ConfigureAwait(false);
                    if (current is null || current.IsDeleted)
                    {
                        throw current is null ? FhirException.NotFound($"{request.Type}/{entry.Id} is not known") : FhirException.Gone($"{request.Type}/{entry.Id} was deleted");
                    }

                    CheckIfMatch(current, ifMatch, entry);
                    Resource patched = patches.Apply(FhirCodec.ParseStored(current.Json.Span), entry.Source.Resource);
                    return Checked(writes.ForUpsert(patched, entry.Id, current.VersionId, WriteMethod.Patch, context), false, context);
                }

            case Bundle.HTTPVerb.DELETE:
                {
                    if (request.Query is not null)
                    {
                        entry.Id = await resources.FindSingleAsync(request.Type, request.Query, context.Access, AccessRights.Delete, ct).ConfigureAwait(false);
                    }

                    if (entry.Id is null)
                    {
                        return null;
                    }

                    StoredResource? current = await resources.CurrentForChangeAsync(request.Type, entry.Id, context.Access, AccessRights.Delete, ct).ConfigureAwait(false);
                    CheckIfMatch(current, ifMatch, entry);
                    return current is null || current.IsDeleted ? null : writes.ForDelete(request.Type, entry.Id, current.VersionId, context);
                }

            case Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD:
                if (request.Id is null)
                {
                    throw FhirException.NotSupported($"Search inside a transaction is not supported yet ({entry.Expression})");
                }

                return null;
            default:
                throw FhirException.BadRequest($"Method {entry.Method} is not allowed in a transaction", $"{entry.Expression}.request.method");
        }
    }

    private async Task<ResponseEntry> RespondAsync(Planned entry, bool returnRepresentation, AccessPolicy access, CancellationToken ct)
    {
        if (entry.Method is Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD)
        {
            try
            {
                StoredResource found = entry.Request.Version is null
                    ? await resources.ReadAsync(entry.Request.Type, entry.Request.Id!, access, ct).ConfigureAwait(false)
                    : await resources.VReadAsync(entry.Request.Type, entry.Request.Id!, entry.Request.Version, access, ct).ConfigureAwait(false);
                return Entry(found, 200, true);
            }
            catch (FhirException ex)
            {
                return new ResponseEntry { Status = HttpStatusText.Of(FhirErrorStatus.Of(ex.Kind)), Outcome = ex.ToOperationOutcome() };
            }
        }

        if (entry.Write is { } write)
        {
            int status = entry.Method switch
            {
                Bundle.HTTPVerb.POST => 201,
                Bundle.HTTPVerb.PUT when entry.Created => 201,
                Bundle.HTTPVerb.DELETE => 204,
                _ => 200,
            };
            return Entry(ResourceService.ToStored(write), status, returnRepresentation && !write.IsDelete);
        }

        if (entry.Method == Bundle.HTTPVerb.POST && entry.ExistingId is not null)
        {
            StoredResource existing = await resources.ReadAsync(entry.Request.Type, entry.ExistingId, access, ct).ConfigureAwait(false);
            return Entry(existing, 200, returnRepresentation);
        }

        return new ResponseEntry { Status = HttpStatusText.Of(204) };
    }

    private static ResourceWrite Checked(ResourceWrite write, bool creating, FhirRequestContext context)
    {
        ResourceService.EnsureWritable(write, creating, context.Access);
        return write;
    }

    private static ResponseEntry Entry(StoredResource stored, int status, bool withResource) => new()
    {
        FullUrl = withResource ? $"{stored.Type}/{stored.Id}" : null,
        ResourceJson = withResource && !stored.IsDeleted ? stored.Json : null,
        Status = HttpStatusText.Of(status),
        Location = status == 201 || !stored.IsDeleted ? $"{stored.Type}/{stored.Id}/_history/{stored.VersionId}" : null,
        Etag = $"W/\"{stored.VersionId}\"",
        LastModified = stored.LastUpdated,
    };

    private static void CheckIfMatch(StoredResource? current, long? ifMatch, Planned entry)
    {
        if (ifMatch is not null && (current is null || current.IsDeleted || current.VersionId != ifMatch))
        {
            throw FhirException.PreconditionFailed($"{entry.Request.Type}/{entry.Id} is not at version {ifMatch} ({entry.Expression}.request.ifMatch)");
        }
    }

    public static long? ParseIfMatch(string? value, string expression)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        return long.TryParse(trimmed.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long version)
            ? version
            : throw FhirException.BadRequest($"'{value}' is not a version ETag", expression);
    }

    private static int ProcessingRank(Bundle.HTTPVerb? method) => method switch
    {
        Bundle.HTTPVerb.DELETE => 0,
        Bundle.HTTPVerb.POST => 1,
        Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => 2,
        _ => 3,
    };

    private sealed class Planned(int index, string expression, Bundle.HTTPVerb method, EntryRequest request, Bundle.EntryComponent source)
    {
        public int Index { get; } = index;

        public string Expression { get; } = expression;

        public Bundle.HTTPVerb Method { get; } = method;

        public EntryRequest Request { get; } = request;

        public Bundle.EntryComponent Source { get; } = source;

        /// <summary>The entry's resource; Describe has checked it is there for POST and PUT.</summary>
        public Resource Body => Source.Resource!;

        public string? Id { get; set; }

        public string? ExistingId { get; set; }

        public bool Created { get; set; }

        public ResourceWrite? Write { get; set; }

        /// <summary>The criteria of a conditional create that found nothing: the commit must still find nothing else.</summary>
        public TokenQuery? CreateCriteria { get; set; }
    }
}
