using System.Collections.Concurrent;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// Values built per resource type from one generation of the search parameters (compiled extractors, compartment
/// paths), dropped as a whole when the registry moves to a new generation.
/// </summary>
internal sealed class PerTypeCache<T>(SearchParameterRegistry registry, Func<SearchParameterSet, string, T> build)
{
    private volatile Generation _generation = new(SearchParameterSet.BuiltIn);

    public T Get(string resourceType)
    {
        SearchParameterSet current = registry.Current;
        Generation generation = _generation;
        if (!ReferenceEquals(generation.Set, current))
        {
            // A racing reader may put back an older generation for a moment; each call still uses one consistent set.
            generation = new Generation(current);
            _generation = generation;
        }

        return generation.Values.GetOrAdd(resourceType, static (type, state) => state.Build(state.Set, type), (Build: build, generation.Set));
    }

    private sealed class Generation(SearchParameterSet set)
    {
        public SearchParameterSet Set { get; } = set;

        public ConcurrentDictionary<string, T> Values { get; } = new(StringComparer.Ordinal);
    }
}
