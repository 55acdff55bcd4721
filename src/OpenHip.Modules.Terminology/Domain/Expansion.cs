using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>A value set's full expansion, in compose order without duplicates, with a (system, code) index for membership.</summary>
internal sealed class Expansion
{
    private readonly Dictionary<CodeToken, int> _index;
    private readonly Lazy<ExpansionTextIndex> _text;
    private readonly Lazy<string[]> _systems;
    private readonly Lazy<int> _active;

    public Expansion(IReadOnlyList<ExpansionEntry> entries, IReadOnlyList<string>? grammarSystems = null)
    {
        Entries = entries;
        GrammarSystems = grammarSystems ?? [];
        _text = new Lazy<ExpansionTextIndex>(() => new ExpansionTextIndex(entries));
        _active = new Lazy<int>(() => entries.Count(e => !e.Inactive));
        _systems = new Lazy<string[]>(() => [.. entries.Select(e => e.Version is null ? e.System : e.System + "|" + e.Version).Distinct(StringComparer.Ordinal)]);
        _index = new Dictionary<CodeToken, int>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            _index.TryAdd(new CodeToken(entries[i].System, entries[i].Code), i);
        }
    }

    public IReadOnlyList<ExpansionEntry> Entries { get; }

    /// <summary>How many entries are active.</summary>
    public int ActiveCount => _active.Value;

    /// <summary>For the <c>$expand</c> text filter; built on first use.</summary>
    public ExpansionTextIndex Text => _text.Value;

    /// <summary>The code systems (<c>url|version</c>) the entries come from, for <c>used-codesystem</c>.</summary>
    public IReadOnlyList<string> Systems => _systems.Value;

    /// <summary>Grammar-based systems included whole: their members are every well-formed code, never listed.</summary>
    public IReadOnlyList<string> GrammarSystems { get; }

    /// <summary>Membership including grammar-based systems, whose codes are checked by syntax.</summary>
    public bool Contains(string system, string code) =>
        Find(system, code) is not null || (GrammarSystems.Contains(system, StringComparer.Ordinal) && Domain.GrammarSystems.IsValid(system, code));

    public ExpansionEntry? Find(string system, string code) =>
        _index.TryGetValue(new CodeToken(system, code), out int i) ? Entries[i] : null;

    /// <summary>Membership of a code given without a system (a <c>code</c> element): listed under any system, or well-formed in a grammar.</summary>
    public bool ContainsCode(string code) =>
        FindCode(code).Any() || GrammarSystems.Any(g => Domain.GrammarSystems.IsValid(g, code));

    /// <summary>Entries with this code under any system (for a bare code without a system).</summary>
    public IEnumerable<ExpansionEntry> FindCode(string code) => Entries.Where(e => e.Code == code);
}
