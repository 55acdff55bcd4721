using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Access;

/// <summary>
/// The engine's enforcement of an <see cref="AccessPolicy"/> on single resources: the type check (403), the visibility
/// of one stored resource through a store query (404 when hidden, like a resource that does not exist), in-memory checks
/// of versions the store has no index rows for (writes before commit, history), and masking of what is returned.
/// </summary>
public sealed class AccessGuard(IFhirStore store, SearchIndexer indexer, CompartmentIndexer compartments)
{
    private const string SourceParameter = "_source";

    /// <summary>The caller's access to <paramref name="type"/> for <paramref name="right"/>; 403 when they have none.</summary>
    public static TypeAccess Require(AccessPolicy policy, string type, AccessRights right)
    {
        ArgumentNullException.ThrowIfNull(policy);
        TypeAccess access = policy.For(type, right);
        return access.Allowed ? access : throw Denied(policy, type, right);
    }

    public static FhirException Denied(AccessPolicy policy, string type, AccessRights right) =>
        FhirException.Forbidden($"The access granted to {policy} does not include {right.ToString().ToLowerInvariant()} on {type}");

    /// <summary>
    /// The current version when it exists, is not deleted and meets <paramref name="access"/>'s condition; null
    /// otherwise. Unfiltered access reads it directly, deleted versions included.
    /// </summary>
    /// <remarks>
    /// One resource is judged on its own content after a point read (the same index entries and compartments the store
    /// keeps, see <see cref="AccessFilterEvaluator"/>): a consent restriction naming many residents costs a few set lookups
    /// instead of a query over their compartments. Conditions with leaves only SQL answers go to the store.
    /// </remarks>
    public async Task<StoredResource?> ReadVisibleAsync(string type, string id, TypeAccess access, CancellationToken ct)
    {
        if (access.Filter is null)
        {
            return await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
        }

        if (AccessFilterEvaluator.CanEvaluate(access.Filter))
        {
            StoredResource? current = await store.ReadCurrentAsync(type, id, ct).ConfigureAwait(false);
            return current is { IsDeleted: false } && Admits(access, current) ? current : null;
        }

        var query = new SearchQuery([type], new AndExpression([new IdExpression([id]), access.Filter]), [], 1, null, TotalMode.None);
        SearchPage page = await store.SearchAsync(query, ct).ConfigureAwait(false);
        return page.Resources.Count == 0 ? null : page.Resources[0];
    }

    /// <summary>Ids of current resources matching a conditional interaction's criteria that the caller may also see.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(TokenQuery criteria, TypeAccess access, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        if (access.Filter is null)
        {
            return await store.FindByTokensAsync(criteria, ct).ConfigureAwait(false);
        }

        var clauses = criteria.Clauses.Select(ToExpression).Append(access.Filter).ToList();
        var query = new SearchQuery([criteria.Type], new AndExpression(clauses), [], criteria.Limit, null, TotalMode.None);
        SearchPage page = await store.SearchAsync(query, ct).ConfigureAwait(false);
        return [.. page.Resources.Select(r => r.Id)];
    }

    /// <summary>Whether a planned write stays inside the caller's condition (a patient app may only write into its own compartment).</summary>
    public static bool Admits(TypeAccess access, ResourceWrite write) =>
        access.Filter is null || AccessFilterEvaluator.Matches(access.Filter, ResourceFacts.Of(write));

    /// <summary>Whether one stored version (historic or current) meets the condition, judged on its own content.</summary>
    public bool Admits(TypeAccess access, StoredResource version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (access.Filter is null)
        {
            return true;
        }

        if (version.IsDeleted)
        {
            return false;
        }

        ConditionNeeds needs = ConditionNeeds.Of(access.Filter);
        if (version.Compartments is { } known && needs.Parameters.All(p => p == SourceParameter))
        {
            IndexEntry[] source = needs.Parameters.Count > 0 && StoredMetaSource.Read(version.Json.Span) is { } uri ? [new UriIndexEntry(SourceParameter, uri)] : [];
            return AccessFilterEvaluator.Matches(access.Filter, new ResourceFacts(version.Type, version.Id, source, known));
        }

        Hl7.Fhir.Model.Resource resource = FhirCodec.ParseStored(version.Json.Span);
        var facts = new ResourceFacts(
            version.Type,
            version.Id,
            needs.Parameters.Count == 0 ? [] : indexer.Extract(resource, needs.Parameters),
            needs.Compartments ? compartments.PatientsOf(resource) : []);
        return AccessFilterEvaluator.Matches(access.Filter, facts);
    }

    /// <summary>The resource as this caller may see it (masked elements removed).</summary>
    public static StoredResource Mask(AccessPolicy policy, StoredResource resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resource);
        return policy.Mask is null || resource.IsDeleted || policy.Mask.Apply(resource.Type, resource.Json) is not { } masked
            ? resource
            : resource with { Json = masked };
    }

    public static IReadOnlyList<StoredResource> Mask(AccessPolicy policy, IReadOnlyList<StoredResource> resources)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Mask is null ? resources : [.. resources.Select(r => Mask(policy, r))];
    }

    private static SearchExpression ToExpression(TokenClause clause) => clause.Parameter == "_id"
        ? new IdExpression([.. clause.AnyOf.Select(v => v.Code ?? string.Empty)])
        : new OrExpression([.. clause.AnyOf.Select(v => (SearchExpression)new TokenExpression(clause.Parameter, v.System, v.Code))]);
}
