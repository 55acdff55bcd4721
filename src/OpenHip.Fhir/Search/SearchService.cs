using Microsoft.Extensions.Options;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// Runs a search: parse, one page from the store, then <c>_include</c> / <c>_revinclude</c> (with <c>:iterate</c>)
/// over that page. Everything user-supplied has been through the parser before the store sees it, and the caller's
/// access policy is part of every store query (primary results, chains, _has, each include step).
/// </summary>
public sealed class SearchService(IFhirStore store, SearchRequestParser parser, SearchAccess access, IOptions<FhirEngineOptions> options)
{
    public async Task<SearchResult> SearchAsync(
        SearchScope scope,
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        SearchHandling handling,
        AccessPolicy policy,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(policy);
        ParsedSearch parsed = parser.Parse(scope, parameters, handling);
        SearchQuery secured = SearchAccess.Secure(parsed.Query, policy, scope.Type is null && !parameters.Any(p => p.Key == "_type"));
        SearchPage page = await store.SearchAsync(secured, ct).ConfigureAwait(false);
        var warnings = parsed.Ignored.Select(i => $"Parameter '{i.Name}={i.Value}' was ignored: {i.Reason}").ToList();
        IReadOnlyList<StoredResource> included = await IncludeAsync(parsed, page.Resources, policy, warnings, ct).ConfigureAwait(false);
        return new SearchResult(parsed, page with { Resources = AccessGuard.Mask(policy, page.Resources) }, AccessGuard.Mask(policy, included), warnings);
    }

    /// <summary>
    /// Applies the includes to the page, then the <c>:iterate</c> ones to what they brought in until nothing new
    /// arrives. Resources already in the page or included are not repeated.
    /// </summary>
    private async Task<IReadOnlyList<StoredResource>> IncludeAsync(
        ParsedSearch parsed,
        IReadOnlyList<StoredResource> matches,
        AccessPolicy policy,
        List<string> warnings,
        CancellationToken ct)
    {
        if (matches.Count == 0 || (parsed.Includes.Count == 0 && parsed.RevIncludes.Count == 0))
        {
            return [];
        }

        int limit = options.Value.MaxIncludedResources;
        var seen = new HashSet<ResourceKey>(matches.Select(m => m.Key));
        var included = new List<StoredResource>();
        IReadOnlyList<StoredResource> frontier = matches;
        bool first = true;
        for (int round = 0; frontier.Count > 0 && round < options.Value.MaxIncludeIterations; round++)
        {
            var added = new List<StoredResource>();
            foreach ((SearchInclude include, bool reverse) in Directives(parsed, first))
            {
                IReadOnlyList<ResourceKey> sources = reverse
                    ? [.. frontier.Select(r => r.Key)]
                    : [.. frontier.Where(r => r.Type == include.SourceType).Select(r => r.Key)];
                if (sources.Count == 0)
                {
                    continue;
                }

                var request = new IncludeRequest(sources, include.SourceType, include.Parameter, include.TargetType, reverse, limit - included.Count - added.Count + 1)
                {
                    Filter = access.IncludeFilter(include, reverse, policy),
                };
                foreach (StoredResource resource in await store.IncludeAsync(request, ct).ConfigureAwait(false))
                {
                    if (seen.Add(resource.Key))
                    {
                        added.Add(resource);
                    }
                }

                if (included.Count + added.Count > limit)
                {
                    warnings.Add($"Included resources were cut at {limit}; narrow the search or page with a smaller _count.");
                    included.AddRange(added.Take(limit - included.Count));
                    return included;
                }
            }

            included.AddRange(added);
            frontier = added;
            first = false;
        }

        return included;
    }

    private static IEnumerable<(SearchInclude Include, bool Reverse)> Directives(ParsedSearch parsed, bool firstRound) =>
        parsed.Includes.Select(i => (i, false)).Concat(parsed.RevIncludes.Select(i => (i, true)))
            .Where(d => firstRound || d.Item1.Iterate);
}
