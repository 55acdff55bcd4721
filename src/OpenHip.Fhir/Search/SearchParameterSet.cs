using System.Collections.Frozen;
using System.Collections.Immutable;
using Hl7.Fhir.Model;

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
    private const string DomainResourceLevel = "DomainResource";

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
        foreach (string level in Levels(resourceType))
        {
            if (FindIn(level, code) is { } parameter)
            {
                return parameter;
            }
        }

        return null;
    }

    /// <summary>The type's own parameters and those of Resource (and DomainResource) it does not redefine.</summary>
    public IEnumerable<SearchParameterInfo> ForType(string resourceType)
    {
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (string level in Levels(resourceType))
        {
            if (_byType.TryGetValue(level, out FrozenDictionary<string, SearchParameterInfo>? parameters))
            {
                foreach (SearchParameterInfo parameter in parameters.Values)
                {
                    if (seen.Add(parameter.Code))
                    {
                        yield return parameter;
                    }
                }
            }
        }
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

    /// <summary>Where a type's parameters come from, most specific first: the type, DomainResource (when it is one), Resource.</summary>
    private static string[] Levels(string resourceType) => resourceType switch
    {
        ResourceLevel => [ResourceLevel],
        DomainResourceLevel => [DomainResourceLevel, ResourceLevel],
        _ when ModelInfo.GetTypeForFhirType(resourceType) is { } type && typeof(DomainResource).IsAssignableFrom(type) =>
            [resourceType, DomainResourceLevel, ResourceLevel],
        _ => [resourceType, ResourceLevel],
    };

    private SearchParameterInfo? FindIn(string type, string code) =>
        _byType.TryGetValue(type, out FrozenDictionary<string, SearchParameterInfo>? parameters) && parameters.TryGetValue(code, out SearchParameterInfo? p) ? p : null;
}
