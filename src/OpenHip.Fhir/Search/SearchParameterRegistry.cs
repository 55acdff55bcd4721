using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The R4 search parameters from Firely's model, plus the Resource-level ones it omits (<see cref="ResourceSearchParameters"/>);
/// stored SearchParameter resources join in the search issue.
/// Built once; lookups by (resource type, code).
/// </summary>
public sealed class SearchParameterRegistry
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, SearchParameterInfo>> _byType;

    public SearchParameterRegistry()
    {
        var byType = new Dictionary<string, Dictionary<string, SearchParameterInfo>>(StringComparer.Ordinal);
        foreach (SearchParamDefinition definition in ModelInfo.SearchParameters)
        {
            if (definition.Resource is null || definition.Name is null)
            {
                continue;
            }

            if (!byType.TryGetValue(definition.Resource, out Dictionary<string, SearchParameterInfo>? parameters))
            {
                parameters = new Dictionary<string, SearchParameterInfo>(StringComparer.Ordinal);
                byType[definition.Resource] = parameters;
            }

            parameters[definition.Name] = new SearchParameterInfo(
                definition.Resource,
                definition.Name,
                definition.Type,
                definition.Expression,
                definition.Url ?? string.Empty,
                definition.Target?.Select(t => t.ToString()).ToArray() ?? [],
                definition.Component?.Select(c => new SearchParameterComponentInfo(c.Definition, c.Expression)).ToArray() ?? [],
                definition.Description);
        }

        byType["Resource"] = ResourceSearchParameters.All.ToDictionary(p => p.Code, StringComparer.Ordinal);
        _byType = byType.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public SearchParameterInfo? Find(string resourceType, string code)
    {
        if (_byType.TryGetValue(resourceType, out FrozenDictionary<string, SearchParameterInfo>? parameters)
            && parameters.TryGetValue(code, out SearchParameterInfo? parameter))
        {
            return parameter;
        }

        // Parameters defined on Resource/DomainResource (_id, _lastUpdated, _tag, ...) apply to every type.
        return resourceType is "Resource" or "DomainResource" ? null : Find("Resource", code) ?? FindIn("DomainResource", code);
    }

    public IEnumerable<SearchParameterInfo> ForType(string resourceType)
    {
        IEnumerable<SearchParameterInfo> own = _byType.TryGetValue(resourceType, out FrozenDictionary<string, SearchParameterInfo>? parameters)
            ? parameters.Values
            : [];
        IEnumerable<SearchParameterInfo> common = _byType.TryGetValue("Resource", out FrozenDictionary<string, SearchParameterInfo>? shared)
            ? shared.Values
            : [];
        return own.Concat(common);
    }

    /// <summary>The parameter with this canonical URL; composite components name theirs this way.</summary>
    public SearchParameterInfo? FindByUrl(string url) => _byType.Values.SelectMany(p => p.Values).FirstOrDefault(p => p.Url == url);

    private SearchParameterInfo? FindIn(string type, string code) =>
        _byType.TryGetValue(type, out FrozenDictionary<string, SearchParameterInfo>? parameters) && parameters.TryGetValue(code, out SearchParameterInfo? p) ? p : null;
}
