using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>A value set's full expansion, in compose order without duplicates, with a (system, code) index for membership.</summary>
internal sealed class Expansion
{
    private readonly Dictionary<CodeToken, int> _index;

    public Expansion(IReadOnlyList<ExpansionEntry> entries, IReadOnlyList<string>? grammarSystems = null)
    {
        Entries = entries;
        GrammarSystems = grammarSystems ?? [];
        _index = new Dictionary<CodeToken, int>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            _index.TryAdd(new CodeToken(entries[i].System, entries[i].Code), i);
        }
    }

    public IReadOnlyList<ExpansionEntry> Entries { get; }

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
