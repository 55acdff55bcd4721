using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Catalog;

/// <summary>
/// The compiled terminology of this node: every stored CodeSystem, ValueSet and ConceptMap, kept current by the write
/// hook (this node's writes, at once) and by <see cref="TerminologySync"/> (every node's writes, from the store). A change
/// swaps in a new <see cref="CatalogSnapshot"/>; a version older than the one held is ignored, so the two paths may
/// deliver the same write in either order.
/// </summary>
internal sealed partial class TerminologyCatalog(IOptions<TerminologyOptions> options, ILogger<TerminologyCatalog> logger)
{
    private readonly Lock _changes = new();

    // Deleted resources' last versions, so a late copy of an older version cannot bring them back.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), long> _retired = new();
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => _current;

    /// <summary>Raised after a CodeSystem came, changed or went (outside the lock; handlers must not block).</summary>
    public event EventHandler? CodeSystemsChanged;

    /// <summary>Compiles a resource's content; throws a 422 <see cref="FhirException"/> when it cannot be used.</summary>
    public static TerminologyEntry Compile(Resource resource, long versionId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        string id = resource.Id ?? string.Empty;
        return resource switch
        {
            CodeSystem cs => new TerminologyEntry(TerminologyTypes.CodeSystem, id, versionId, cs.Url, cs.Version, cs, CodeSystemCompiler.Compile(cs)),
            ValueSet vs => new TerminologyEntry(TerminologyTypes.ValueSet, id, versionId, vs.Url, vs.Version, vs, null),
            ConceptMap cm => new TerminologyEntry(TerminologyTypes.ConceptMap, id, versionId, cm.Url, cm.Version, cm, null),
            _ => throw new ArgumentException($"{resource.TypeName} is not terminology", nameof(resource)),
        };
    }

    /// <summary>Takes in one committed version (a delete when <paramref name="json"/> is empty); false when it changed nothing.</summary>
    public bool Apply(string type, string id, long versionId, ReadOnlyMemory<byte> json)
    {
        if (!TerminologyTypes.Contains(type) || Held(type, id) >= versionId)
        {
            return false;
        }

        TerminologyEntry? entry = null;
        if (!json.IsEmpty)
        {
            try
            {
                entry = Compile(FhirCodec.ParseStored(json.Span), versionId);
            }
            catch (FhirException)
            {
                // Stored before its content was checked (or by another release): it stays a plain resource.
                LogUnusable(logger, type, id);
                entry = null;
            }
        }

        Replace(type, id, versionId, entry);
        return true;
    }

    /// <summary>Takes in content the write hook has already compiled.</summary>
    public void Apply(TerminologyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Replace(entry.Type, entry.Id, entry.VersionId, entry);
    }

    /// <summary>The full expansion of a value set, cached with the snapshot it was computed from.</summary>
    public Expansion Expand(CatalogSnapshot snapshot, ValueSet valueSet)
    {
        (Expansion? expansion, FhirException? error) = Expanded(snapshot, valueSet);
        return expansion ?? throw new FhirException(error!.Kind, error.Issues);
    }

    /// <summary>
    /// The expansion, or null when the value set cannot be expanded (over a code system not held, or too large). The
    /// write path's binding check asks this for every coded element: a held value set that cannot be expanded answers
    /// from the cache without an exception (one per check cost the bulk import most of its CPU).
    /// </summary>
    public Expansion? TryExpand(CatalogSnapshot snapshot, ValueSet valueSet) => Expanded(snapshot, valueSet).Expansion;

    private (Expansion? Expansion, FhirException? Error) Expanded(CatalogSnapshot snapshot, ValueSet valueSet)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(valueSet);
        var expander = new ValueSetExpander(snapshot, options.Value.MaxExpansionSize);
        if (valueSet.Url is null || snapshot.FindValueSet(valueSet.Url, valueSet.Version) != valueSet)
        {
            return Attempt(expander, valueSet);
        }

        return snapshot.Expansions.GetOrAdd(valueSet.Url + "|" + valueSet.Version, _ => Attempt(expander, valueSet));
    }

    private static (Expansion?, FhirException?) Attempt(ValueSetExpander expander, ValueSet valueSet)
    {
        try
        {
            return (expander.Expand(valueSet), null);
        }
        catch (FhirException e)
        {
            return (null, e);
        }
    }

    /// <summary>Whether the catalog has this version of the resource or a later one (<see cref="Apply(string, string, long, ReadOnlyMemory{byte})"/> would ignore it).</summary>
    public bool Holds(string type, string id, long versionId) => Held(type, id) >= versionId;

    private long Held(string type, string id) =>
        _current.ByKey.TryGetValue((type, id), out TerminologyEntry? held) ? held.VersionId
        : _retired.TryGetValue((type, id), out long deleted) ? deleted : 0;

    private void Replace(string type, string id, long versionId, TerminologyEntry? entry)
    {
        lock (_changes)
        {
            if (Held(type, id) >= versionId)
            {
                return;
            }

            _current.ByKey.TryGetValue((type, id), out TerminologyEntry? old);
            if (entry is null)
            {
                _retired[(type, id)] = versionId;
            }
            else
            {
                _retired.TryRemove((type, id), out _);
            }

            _current = _current.With(old, entry);
            LogChanged(logger, type, id, versionId.ToString(CultureInfo.InvariantCulture));
        }

        if (type == TerminologyTypes.CodeSystem)
        {
            CodeSystemsChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Stored {Type}/{Id} cannot be compiled and is not used for terminology")]
    private static partial void LogUnusable(ILogger logger, string type, string id);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Terminology catalog took in {Type}/{Id} version {Version}")]
    private static partial void LogChanged(ILogger logger, string type, string id, string version);
}
