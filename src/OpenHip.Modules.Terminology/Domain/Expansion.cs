using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>A value set's full expansion, in compose order without duplicates, with a (system, code) index for membership.</summary>
internal sealed class Expansion
{
    private readonly Dictionary<CodeToken, int> _index;

    public Expansion(IReadOnlyList<ExpansionEntry> entries)
    {
        Entries = entries;
        _index = new Dictionary<CodeToken, int>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            _index.TryAdd(new CodeToken(entries[i].System, entries[i].Code), i);
        }
    }

    public IReadOnlyList<ExpansionEntry> Entries { get; }

    public ExpansionEntry? Find(string system, string code) =>
        _index.TryGetValue(new CodeToken(system, code), out int i) ? Entries[i] : null;

    /// <summary>Entries with this code under any system (for a bare code without a system).</summary>
    public IEnumerable<ExpansionEntry> FindCode(string code) => Entries.Where(e => e.Code == code);
}
