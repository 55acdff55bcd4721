using System.Text.Json;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Indexing.Json;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Indexing;

/// <summary>
/// Extracts the search index entries of a resource version for every active search parameter of its type, in the
/// write path (issue #4 step 1). Each (type, parameter) is compiled once per generation of the registry; plain paths
/// are walked on the POCO, so most parameters never touch the FHIRPath engine. Duplicate entries are dropped.
/// </summary>
public sealed class SearchIndexer
{
    /// <summary>Past this many entries a thread's set is dropped rather than kept at that size.</summary>
    private const int MaxRetainedEntries = 1024;

    // Per-thread working sets: extraction runs on every write (and on both cores for every resource of an import), and
    // growing a fresh set each time was a third of its allocations.
    [ThreadStatic]
    private static HashSet<IndexEntry>? _entries;

    [ThreadStatic]
    private static List<Base>? _scratch;

    [ThreadStatic]
    private static List<IndexEntry>? _found;

    private readonly PerTypeCache<ParameterExtractor[]> _extractors;
    private readonly PerTypeCache<(ParameterExtractor Poco, JsonParameterExtractor? Json)[]> _jsonExtractors;
    private readonly LocalBase _localBase;
    private readonly ICodeAncestry? _ancestry;

    /// <summary>An indexer that knows no base URL of its own (tests, benchmarks): every absolute reference is external.</summary>
    public SearchIndexer(SearchParameterRegistry registry, RegionTimeZone zone)
        : this(registry, zone, Microsoft.Extensions.Options.Options.Create(new Resources.FhirEngineOptions()))
    {
    }

    /// <param name="ancestry">Code system hierarchies: coded tokens of those systems also get <c>:below</c> closure rows.</param>
    public SearchIndexer(
        SearchParameterRegistry registry,
        RegionTimeZone zone,
        Microsoft.Extensions.Options.IOptions<Resources.FhirEngineOptions> options,
        ICodeAncestry? ancestry = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(options);
        _ancestry = ancestry;
        _localBase = new LocalBase(options.Value.BaseUrl);
        TimeZoneInfo timeZone = zone.Zone;
        _extractors = new PerTypeCache<ParameterExtractor[]>(registry, (parameters, type) => ExtractorCompiler.Compile(parameters, type, timeZone));
        var values = new JsonIndexValues(timeZone);
        _jsonExtractors = new PerTypeCache<(ParameterExtractor, JsonParameterExtractor?)[]>(
            registry, (parameters, type) => [.. ExtractorCompiler.Compile(parameters, type, timeZone).Select(e => (e, JsonParameterExtractor.For(e, values)))]);
    }

    public IReadOnlyList<IndexEntry> Extract(Resource resource) => Extract(resource, only: null);

    /// <summary>The entries of the named parameters only (all when null): judging one resource needs a handful of them.</summary>
    public IReadOnlyList<IndexEntry> Extract(Resource resource, IReadOnlySet<string>? only)
    {
        ArgumentNullException.ThrowIfNull(resource);
        HashSet<IndexEntry> entries = _entries ??= [];
        List<Base> scratch = _scratch ??= [];
        try
        {
            PocoNode? root = null;
            foreach (ParameterExtractor extractor in _extractors.Get(resource.TypeName))
            {
                if (only is not null && !only.Contains(extractor.Code))
                {
                    continue;
                }

                extractor.Extract(resource, ref root, scratch, entries);
            }

            if (_ancestry is not null)
            {
                TokenClosure.AddRows(_ancestry, entries);
            }

            return [.. entries.Select(Localize)];
        }
        finally
        {
            Release(entries, scratch);
        }
    }

    /// <summary>
    /// The same entries as <see cref="Extract(Resource)"/>, read from the resource's JSON (the bulk import's path: no POCO
    /// per resource). A parameter whose expression or data the JSON walk does not mirror is extracted from
    /// <paramref name="poco"/>, parsed at most once and only then.
    /// </summary>
    public IReadOnlyList<IndexEntry> Extract(JsonElement resource, string resourceType, Func<Resource> poco)
    {
        ArgumentNullException.ThrowIfNull(poco);
        var root = new JsonFhirValue(resource, JsonPathWalker.ResourceType(resource) ?? throw new ArgumentException($"not a {resourceType}", nameof(resource)));
        HashSet<IndexEntry> entries = _entries ??= [];
        List<Base> scratch = _scratch ??= [];
        List<IndexEntry> found = _found ??= [];
        Resource? parsed = null;
        PocoNode? node = null;
        try
        {
            foreach ((ParameterExtractor pocoExtractor, JsonParameterExtractor? json) in _jsonExtractors.Get(resourceType))
            {
                if (json is not null)
                {
                    try
                    {
                        json.Extract(root, found);
                        entries.UnionWith(found);
                        continue;
                    }
                    catch (JsonShapeNotCompiledException)
                    {
                        // Falls through to the POCO, which sees every shape.
                    }
                    finally
                    {
                        found.Clear();
                    }
                }

                pocoExtractor.Extract(parsed ??= poco(), ref node, scratch, entries);
                scratch.Clear();
            }

            if (_ancestry is not null)
            {
                TokenClosure.AddRows(_ancestry, entries);
            }

            return [.. entries.Select(Localize)];
        }
        finally
        {
            found.Clear();
            Release(entries, scratch);
        }
    }

    private static void Release(HashSet<IndexEntry> entries, List<Base> scratch)
    {
        scratch.Clear();
        if (entries.Count > MaxRetainedEntries)
        {
            _entries = null;
        }
        else
        {
            entries.Clear();
        }
    }

    // An absolute reference on this server's base is stored like the relative one, so either spelling finds it.
    private IndexEntry Localize(IndexEntry entry) =>
        entry is ReferenceIndexEntry { Url: { } url, TargetType: not null, TargetId: not null } reference && _localBase.IsLocal(url)
            ? reference with { Url = null }
            : entry;
}
