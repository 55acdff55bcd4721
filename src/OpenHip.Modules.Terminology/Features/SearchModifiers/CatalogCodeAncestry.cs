using System.Runtime.CompilerServices;
using OpenHip.Fhir.Search.Terminology;
using OpenHip.Modules.Terminology.Catalog;
using OpenHip.Modules.Terminology.Domain;

namespace OpenHip.Modules.Terminology.Features.SearchModifiers;

/// <summary>
/// The engine's <see cref="ICodeAncestry"/> from the compiled catalog: the version of a system that <c>:below</c>
/// resolves against (the most recently written) is the one the closure rows are written from.
/// </summary>
internal sealed class CatalogCodeAncestry : ICodeAncestry
{
    private readonly TerminologyCatalog _catalog;

    // One adapter per compiled system, so its fingerprint is computed once.
    private readonly ConditionalWeakTable<CompiledCodeSystem, Hierarchy> _hierarchies = [];

    public CatalogCodeAncestry(TerminologyCatalog catalog)
    {
        _catalog = catalog;
        catalog.CodeSystemsChanged += (_, e) => Changed?.Invoke(this, e);
    }

    public event EventHandler? Changed;

    public CodeHierarchy? Find(string system) => Find(_catalog.Current, system);

    public IReadOnlyList<CodeHierarchy> All()
    {
        CatalogSnapshot snapshot = _catalog.Current;
        return
        [
            .. snapshot.OfType(TerminologyTypes.CodeSystem)
                .Select(e => e.Url)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(url => Find(snapshot, url))
                .OfType<Hierarchy>(),
        ];
    }

    private Hierarchy? Find(CatalogSnapshot snapshot, string system) =>
        snapshot.FindCodeSystem(system, null) is { HasHierarchy: true } compiled
            ? _hierarchies.GetValue(compiled, c => new Hierarchy(c))
            : null;

    private sealed class Hierarchy(CompiledCodeSystem system) : CodeHierarchy(system.Url, system.HierarchyFingerprint)
    {
        public override string Canonical(string code) => system.Find(code)?.Code ?? code;

        public override IEnumerable<string> AncestorsOf(string code) =>
            system.Find(code) is { } concept ? system.AncestorsOf(concept).Select(i => system.Concepts[i].Code) : [];
    }
}
