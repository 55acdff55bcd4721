using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Requests;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Transactions;

/// <summary>
/// A batch Bundle: every entry is an independent interaction with its own status and OperationOutcome; one entry's
/// failure changes nothing for the others. Entries run in R4 order (DELETE, POST, PUT/PATCH, GET) and answer in
/// request order. R4 forbids interdependent batch entries, so the entries of one phase run concurrently and share the
/// store's group commits; entries naming the same resource or the same conditional criteria still run in order.
/// </summary>
public sealed class BatchProcessor(ResourceService resources, IPatchHandler patches)
{
    private const int MaxConcurrentEntries = 32;

    public async Task<ResponseBundle> ProcessAsync(Bundle bundle, FhirRequestContext context, bool returnRepresentation, CancellationToken ct)
    {
        var answers = new ResponseEntry[bundle.Entry.Count];
        foreach (IGrouping<int, int> phase in Enumerable.Range(0, bundle.Entry.Count).GroupBy(i => Rank(bundle.Entry[i].Request?.Method)).OrderBy(g => g.Key))
        {
            using var slots = new SemaphoreSlim(MaxConcurrentEntries);
            IEnumerable<Task> lanes = phase.GroupBy(i => LaneOf(bundle.Entry[i], i), StringComparer.Ordinal).Select(async lane =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    foreach (int i in lane)
                    {
                        answers[i] = await AnswerAsync(bundle.Entry[i], $"Bundle.entry[{i}]", context, returnRepresentation, ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    slots.Release();
                }
            });
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }

        var response = new ResponseBundle(Bundle.BundleType.BatchResponse);
        response.Entries.AddRange(answers);
        return response;
    }

    private async Task<ResponseEntry> AnswerAsync(Bundle.EntryComponent entry, string expression, FhirRequestContext context, bool representation, CancellationToken ct)
    {
        try
        {
            return await ProcessEntryAsync(entry, expression, context, representation, ct).ConfigureAwait(false);
        }
        catch (FhirException ex)
        {
            return new ResponseEntry { Status = HttpStatusText.Of(FhirErrorStatus.Of(ex.Kind)), Outcome = ex.ToOperationOutcome() };
        }
    }

    /// <summary>Entries in one lane run in request order: same URL, or same If-None-Exist criteria on the same type.</summary>
    private static string LaneOf(Bundle.EntryComponent entry, int index)
    {
        string url = entry.Request?.Url ?? string.Empty;
        int query = url.IndexOf('?', StringComparison.Ordinal);
        string path = query >= 0 ? url[..query] : url;
        return string.IsNullOrEmpty(entry.Request?.IfNoneExist)
            ? (entry.Request?.Method == Bundle.HTTPVerb.POST ? $"#{index}" : url)
            : $"{path}?{entry.Request.IfNoneExist}";
    }

    private async Task<ResponseEntry> ProcessEntryAsync(Bundle.EntryComponent entry, string expression, FhirRequestContext context, bool representation, CancellationToken ct)
    {
        if (entry.Request?.Method is not { } method || string.IsNullOrEmpty(entry.Request.Url))
        {
            throw FhirException.BadRequest("Every batch entry needs request.method and request.url", $"{expression}.request");
        }

        EntryRequest request = EntryRequest.Parse(entry.Request.Url, context.BaseUrl, $"{expression}.request.url");
        long? ifMatch = TransactionProcessor.ParseIfMatch(entry.Request.IfMatch, $"{expression}.request.ifMatch");
        switch (method)
        {
            case Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD when request.Id is not null:
                StoredResource found = request.Version is null
                    ? await resources.ReadAsync(request.Type, request.Id, context.Access, ct).ConfigureAwait(false)
                    : await resources.VReadAsync(request.Type, request.Id, request.Version, context.Access, ct).ConfigureAwait(false);
                return Answer(new InteractionResult(200, found), true);
            case Bundle.HTTPVerb.POST:
                return Answer(await resources.CreateAsync(Body(entry, request, expression), entry.Request.IfNoneExist, context, ct).ConfigureAwait(false), representation);
            case Bundle.HTTPVerb.PUT when request.Query is not null:
                return Answer(await resources.ConditionalUpdateAsync(request.Type, request.Query, Body(entry, request, expression), ifMatch, context, ct).ConfigureAwait(false), representation);
            case Bundle.HTTPVerb.PUT when request.Id is not null:
                return Answer(await resources.UpdateAsync(request.Type, request.Id, Body(entry, request, expression), ifMatch, context, ct).ConfigureAwait(false), representation);
            case Bundle.HTTPVerb.PATCH when request.Id is not null && entry.Resource is not null:
                Resource patch = entry.Resource;
                return Answer(await resources.PatchAsync(request.Type, request.Id, current => patches.Apply(current, patch), ifMatch, context, ct).ConfigureAwait(false), representation);
            case Bundle.HTTPVerb.DELETE when request.Query is not null:
                await resources.ConditionalDeleteAsync(request.Type, request.Query, context, ct).ConfigureAwait(false);
                return new ResponseEntry { Status = HttpStatusText.Of(204) };
            case Bundle.HTTPVerb.DELETE when request.Id is not null:
                return Answer(await resources.DeleteAsync(request.Type, request.Id, ifMatch, context, ct).ConfigureAwait(false), false);
            default:
                throw FhirException.NotSupported($"{method} {entry.Request.Url} is not supported in a batch");
        }
    }

    private static Resource Body(Bundle.EntryComponent entry, EntryRequest request, string expression)
    {
        if (entry.Resource is null)
        {
            throw FhirException.BadRequest("This entry needs a resource", $"{expression}.resource");
        }

        return entry.Resource.TypeName == request.Type
            ? entry.Resource
            : throw FhirException.BadRequest($"The entry's resource is a {entry.Resource.TypeName}, its URL names {request.Type}", $"{expression}.resource");
    }

    private static ResponseEntry Answer(InteractionResult result, bool withResource)
    {
        StoredResource? stored = result.Resource;
        if (stored is null)
        {
            return new ResponseEntry { Status = HttpStatusText.Of(result.Status) };
        }

        bool include = withResource && !stored.IsDeleted;
        return new ResponseEntry
        {
            FullUrl = include ? $"{stored.Type}/{stored.Id}" : null,
            ResourceJson = include ? stored.Json : null,
            Status = HttpStatusText.Of(result.Status),
            Location = stored.IsDeleted ? null : $"{stored.Type}/{stored.Id}/_history/{stored.VersionId}",
            Etag = $"W/\"{stored.VersionId}\"",
            LastModified = stored.LastUpdated,
        };
    }

    private static int Rank(Bundle.HTTPVerb? method) => method switch
    {
        Bundle.HTTPVerb.DELETE => 0,
        Bundle.HTTPVerb.POST => 1,
        Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => 2,
        _ => 3,
    };
}
