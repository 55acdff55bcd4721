using System.Collections.Concurrent;
using System.Collections.Immutable;
using Hl7.Fhir.Model;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>
/// The catalog at one moment: entries by (type, id) and by canonical URL. Readers hold a snapshot for a whole request, so
/// a concurrent write never shows them half a change; expansions computed from it are cached with it and vanish with it.
/// </summary>
internal sealed class CatalogSnapshot(
    long generation,
    ImmutableDictionary<(string Type, string Id), TerminologyEntry> byKey,
    ImmutableDictionary<(string Type, string Url), ImmutableList<TerminologyEntry>> byUrl) : ITerminologySource
{
    public static readonly CatalogSnapshot Empty = new(0, ImmutableDictionary<(string, string), TerminologyEntry>.Empty, ImmutableDictionary<(string, string), ImmutableList<TerminologyEntry>>.Empty);

    public long Generation => generation;

    public ImmutableDictionary<(string Type, string Id), TerminologyEntry> ByKey => byKey;

    public ImmutableDictionary<(string Type, string Url), ImmutableList<TerminologyEntry>> ByUrl => byUrl;

    /// <summary>
    /// Expansions by value set key, computed on first use against this snapshot; a value set that cannot be expanded
    /// keeps its error, so binding checks on every write do not try (and throw) again until something changes.
    /// </summary>
    public ConcurrentDictionary<string, (Domain.Expansion? Expansion, OpenHip.Fhir.Errors.FhirException? Error)> Expansions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The expansion each bound canonical (<c>url|version</c> as a binding names it) resolves to in this snapshot, or null
    /// when it cannot be judged; the binding check's cache, so each coded element costs one lookup.
    /// </summary>
    public ConcurrentDictionary<string, Domain.Expansion?> BindingExpansions { get; } = new(StringComparer.Ordinal);

    /// <summary>The entry of a type with this URL: the given version, or without one the most recently written.</summary>
    public TerminologyEntry? Find(string type, string url, string? version)
    {
        if (!byUrl.TryGetValue((type, url), out ImmutableList<TerminologyEntry>? entries) || entries.IsEmpty)
        {
            return null;
        }

        return version is null ? entries[^1] : entries.FindLast(e => e.Version == version);
    }

    public CompiledCodeSystem? FindCodeSystem(string url, string? version) => Find(TerminologyTypes.CodeSystem, url, version)?.CodeSystem;

    public ValueSet? FindValueSet(string url, string? version) => Find(TerminologyTypes.ValueSet, url, version)?.Resource as ValueSet;

    public IEnumerable<string?> VersionsOf(string type, string url) =>
        byUrl.TryGetValue((type, url), out ImmutableList<TerminologyEntry>? entries) ? entries.Select(e => e.Version) : [];

    public IEnumerable<TerminologyEntry> OfType(string type) => byKey.Values.Where(e => e.Type == type);

    public CatalogSnapshot With(TerminologyEntry? removed, TerminologyEntry? added)
    {
        var keys = byKey.ToBuilder();
        var urls = byUrl.ToBuilder();
        if (removed is not null)
        {
            keys.Remove((removed.Type, removed.Id));
            if (removed.Url is not null && urls.TryGetValue((removed.Type, removed.Url), out ImmutableList<TerminologyEntry>? list))
            {
                list = list.RemoveAll(e => e.Id == removed.Id);
                if (list.IsEmpty)
                {
                    urls.Remove((removed.Type, removed.Url));
                }
                else
                {
                    urls[(removed.Type, removed.Url)] = list;
                }
            }
        }

        if (added is not null)
        {
            keys[(added.Type, added.Id)] = added;
            if (added.Url is not null)
            {
                urls[(added.Type, added.Url)] = urls.TryGetValue((added.Type, added.Url), out ImmutableList<TerminologyEntry>? list) ? list.Add(added) : [added];
            }
        }

        return new CatalogSnapshot(generation + 1, keys.ToImmutable(), urls.ToImmutable());
    }
}
