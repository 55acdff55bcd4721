using System.Collections.Frozen;
using System.Collections.Immutable;

namespace OpenHip.Fhir.Search;

/// <summary>
/// One immutable generation of the active search parameters: the R4 built-ins overlaid by stored SearchParameter
/// resources (a stored parameter with the code of a built-in on the same base replaces it). Take
/// <see cref="SearchParameterRegistry.Current"/> once and work from that set; a change makes a new set with a higher
/// <see cref="Version"/>, which is what caches of compiled extractors are keyed on.
/// </summary>
public sealed class SearchParameterSet
{
    private const string ResourceLevel = "Resource";

    private readonly FrozenDictionary<string, FrozenDictionary<string, SearchParameterInfo>> _byType;
    private readonly FrozenDictionary<string, SearchParameterInfo> _byUrl;

    private SearchParameterSet(
        long version,
        ImmutableDictionary<string, StoredSearchParameter> stored,
        FrozenDictionary<string, FrozenDictionary<string, SearchParameterInfo>> byType,
        FrozenDictionary<string, SearchParameterInfo> byUrl)
    {
        Version = version;
        Stored = stored;
        _byType = byType;
        _byUrl = byUrl;
    }

    /// <summary>The R4 definitions alone; built once per process.</summary>
    internal static SearchParameterSet BuiltIn { get; } = CreateBuiltIn();

    /// <summary>0 for the built-ins; each change of the stored parameters adds one.</summary>
    public long Version { get; }

    /// <summary>Stored SearchParameter resources by key, including tombstones of deleted ones.</summary>
    internal ImmutableDictionary<string, StoredSearchParameter> Stored { get; }

    public SearchParameterInfo? Find(string resourceType, string code)
    {
        if (FindIn(resourceType, code) is { } own)
        {
            return own;
        }

        // Parameters defined on Resource/DomainResource (_id, _lastUpdated, _tag, ...) apply to every type.
        return resourceType is ResourceLevel or "DomainResource" ? null : FindIn(ResourceLevel, code) ?? FindIn("DomainResource", code);
    }

    /// <summary>The type's own parameters and the Resource-level ones it does not redefine.</summary>
    public IEnumerable<SearchParameterInfo> ForType(string resourceType)
    {
        FrozenDictionary<string, SearchParameterInfo>? own = _byType.GetValueOrDefault(resourceType);
        IEnumerable<SearchParameterInfo> ownValues = own?.Values ?? [];
        if (resourceType == ResourceLevel || !_byType.TryGetValue(ResourceLevel, out FrozenDictionary<string, SearchParameterInfo>? common))
        {
            return ownValues;
        }

        return ownValues.Concat(common.Values.Where(p => own is null || !own.ContainsKey(p.Code)));
    }

    /// <summary>A parameter by its canonical URL (composite components name their parts this way).</summary>
    public SearchParameterInfo? FindByUrl(string url) => _byUrl.GetValueOrDefault(url);

    /// <summary>A new generation with <paramref name="stored"/> replacing the stored parameters.</summary>
    internal SearchParameterSet With(ImmutableDictionary<string, StoredSearchParameter> stored)
    {
        IEnumerable<SearchParameterInfo> added = stored.Values.OrderBy(s => s.Key, StringComparer.Ordinal).SelectMany(s => s.Parameters);
        HashSet<string> touched = new(Stored.Values.Concat(stored.Values).SelectMany(s => s.Parameters).Select(p => p.ResourceType), StringComparer.Ordinal);

        // Only the types a stored parameter touches (now or before) are rebuilt; the rest share the built-in dictionaries.
        var byType = new Dictionary<string, FrozenDictionary<string, SearchParameterInfo>>(BuiltIn._byType, StringComparer.Ordinal);
        foreach (string type in touched)
        {
            var parameters = new Dictionary<string, SearchParameterInfo>(
                BuiltIn._byType.GetValueOrDefault(type) ?? FrozenDictionary<string, SearchParameterInfo>.Empty, StringComparer.Ordinal);
            foreach (SearchParameterInfo parameter in added.Where(p => p.ResourceType == type))
            {
                parameters[parameter.Code] = parameter;
            }

            byType[type] = parameters.ToFrozenDictionary(StringComparer.Ordinal);
        }

        var byUrl = new Dictionary<string, SearchParameterInfo>(BuiltIn._byUrl, StringComparer.Ordinal);
        foreach (SearchParameterInfo parameter in added.Where(p => p.Url.Length > 0))
        {
            byUrl[parameter.Url] = parameter;
        }

        return new SearchParameterSet(Version + 1, stored, byType.ToFrozenDictionary(StringComparer.Ordinal), byUrl.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static SearchParameterSet CreateBuiltIn()
    {
        var byType = new Dictionary<string, Dictionary<string, SearchParameterInfo>>(StringComparer.Ordinal);
        var byUrl = new Dictionary<string, SearchParameterInfo>(StringComparer.Ordinal);
        foreach (SearchParameterInfo parameter in BuiltInSearchParameters.All)
        {
            if (!byType.TryGetValue(parameter.ResourceType, out Dictionary<string, SearchParameterInfo>? parameters))
            {
                parameters = new Dictionary<string, SearchParameterInfo>(StringComparer.Ordinal);
                byType[parameter.ResourceType] = parameters;
            }

            parameters[parameter.Code] = parameter;

            // R4 shares one definition (and URL) between types ("clinical-code"); any of its copies tells the type.
            if (parameter.Url.Length > 0)
            {
                byUrl.TryAdd(parameter.Url, parameter);
            }
        }

        return new SearchParameterSet(
            0,
            ImmutableDictionary.Create<string, StoredSearchParameter>(StringComparer.Ordinal),
            byType.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
            byUrl.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private SearchParameterInfo? FindIn(string type, string code) =>
        _byType.TryGetValue(type, out FrozenDictionary<string, SearchParameterInfo>? parameters) && parameters.TryGetValue(code, out SearchParameterInfo? p) ? p : null;
}
