using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// <c>Patient/$everything</c> and <c>Encounter/$everything</c>: the compartment (indexed at write time) page by page,
/// plus the resources each page refers to (practitioners, organisations, medications, ...). Paged, never cut short:
/// a page that cannot carry all its references says so. The caller gets everything they may read: types they have no
/// right on are left out, and each type's condition is part of the query.
/// </summary>
public sealed class EverythingService(IFhirStore store, ResourceService resources, SearchAccess access, IOptions<FhirEngineOptions> options)
{
    private static readonly string[] EncounterLinks = ["encounter", "context"];

    public async Task<SearchResult> EverythingAsync(string type, string id, IReadOnlyList<KeyValuePair<string, string>> parameters, AccessPolicy policy, CancellationToken ct)
    {
        if (type is not ("Patient" or "Encounter"))
        {
            throw FhirException.NotFound($"$everything is defined on Patient and Encounter, not {type}");
        }

        ArgumentNullException.ThrowIfNull(policy);
        StoredResource focus = await resources.ReadAsync(type, id, policy, ct).ConfigureAwait(false);
        FhirEngineOptions engine = options.Value;
        int count = engine.DefaultPageSize;
        string? cursor = null;
        DateTimeOffset? since = null;
        var types = new List<string>();
        var applied = new List<KeyValuePair<string, string>>();
        var ignored = new List<IgnoredParameter>();
        foreach ((string name, string value) in parameters)
        {
            switch (name)
            {
                case "_count":
                    count = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int c) && c > 0
                        ? Math.Min(c, engine.MaxPageSize)
                        : throw FhirException.BadRequest($"_count must be a positive integer, not '{value}'", "_count");
                    break;
                case "_cursor":
                    cursor = value;
                    continue;
                case "_since":
                    since = DateRange.TryParse(value, TimeZoneInfo.Utc, out DateTimeOffset low, out _) && value.Contains('T', StringComparison.Ordinal)
                        ? low
                        : throw FhirException.BadRequest($"_since must be an instant such as 2026-01-01T00:00:00Z, not '{value}'", "_since");
                    applied.Add(new(name, value));
                    break;
                case "_type":
                    foreach (string t in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        ResourceIds.EnsureKnownType(t);
                        types.Add(t);
                    }

                    applied.Add(new(name, value));
                    break;
                case "_format" or "_pretty":
                    break;
                default:
                    ignored.Add(new IgnoredParameter(name, value, "$everything takes _count, _since and _type"));
                    break;
            }
        }

        applied.Add(new("_count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var filters = new List<SearchExpression>
        {
            type == "Patient"
                ? new CompartmentExpression(id)
                : new OrExpression([.. EncounterLinks.Select(p => new ReferenceExpression(p, "Encounter", id, null))]),
        };
        if (since is { } s)
        {
            filters.Add(new LastUpdatedExpression(SearchPrefix.Ge, s, s));
        }

        IReadOnlyList<string> searched = types;
        if (!policy.IsUnrestricted)
        {
            searched = SearchAccess.Readable(types, policy);
            if (searched.Count == 0)
            {
                // An empty type list means "every type" to the store; here it must mean nothing.
                filters.Add(new ResourceTypeExpression([]));
            }
            else if (policy.Visible(searched, AccessRights.Read) is { } visible)
            {
                filters.Add(visible);
            }
        }

        var query = new SearchQuery(searched, new AndExpression(filters), [], count, cursor, TotalMode.Accurate);
        SearchPage page = await store.SearchAsync(query, ct).ConfigureAwait(false);

        // The Encounter is not in its own compartment rows; it leads the first page.
        if (type == "Encounter" && cursor is null && (types.Count == 0 || types.Contains("Encounter")) && (since is null || focus.LastUpdated >= since))
        {
            page = page with { Resources = [focus, .. page.Resources], Total = page.Total + 1 };
        }

        var warnings = ignored.Select(i => $"Parameter '{i.Name}={i.Value}' was ignored: {i.Reason}").ToList();
        IReadOnlyList<StoredResource> referenced = await ReferencedAsync(page.Resources, policy, warnings, ct).ConfigureAwait(false);
        page = page with { Resources = AccessGuard.Mask(policy, page.Resources) };
        referenced = AccessGuard.Mask(policy, referenced);
        var parsed = new ParsedSearch(query, [], [], SummaryMode.False, [], ignored, QueryStringEncoding.Build(applied));
        return new SearchResult(parsed, page, referenced, warnings);
    }

    private async Task<IReadOnlyList<StoredResource>> ReferencedAsync(IReadOnlyList<StoredResource> page, AccessPolicy policy, List<string> warnings, CancellationToken ct)
    {
        int limit = options.Value.MaxIncludedResources;
        var seen = new HashSet<ResourceKey>(page.Select(r => r.Key));
        var referenced = new List<StoredResource>();
        foreach (IGrouping<string, StoredResource> group in page.GroupBy(r => r.Type, StringComparer.Ordinal))
        {
            var request = new IncludeRequest([.. group.Select(r => r.Key)], group.Key, null, null, false, limit + 1)
            {
                Filter = policy.IsUnrestricted ? null : policy.Visible(access.ReferenceTargets(group.Key), AccessRights.Read),
            };
            referenced.AddRange((await store.IncludeAsync(request, ct).ConfigureAwait(false)).Where(r => seen.Add(r.Key)));
            if (referenced.Count > limit)
            {
                warnings.Add($"This page refers to more than {limit} other resources; only {limit} are included. Use a smaller _count.");
                return referenced[..limit];
            }
        }

        return referenced;
    }
}
