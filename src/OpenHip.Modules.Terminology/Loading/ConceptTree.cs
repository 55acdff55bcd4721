using Hl7.Fhir.Model;

namespace OpenHip.Modules.Terminology.Loading;

/// <summary>
/// Nests concepts under their parents (the R4 way to state a single-parent hierarchy), refusing duplicate codes,
/// unknown parents and cycles with the line that caused them.
/// </summary>
internal sealed class ConceptTree(string file)
{
    private readonly List<(CodeSystem.ConceptDefinitionComponent Concept, string? Parent, long Line)> _rows = [];
    private readonly Dictionary<string, int> _byCode = new(StringComparer.Ordinal);

    public int Count => _rows.Count;

    public void Add(CodeSystem.ConceptDefinitionComponent concept, string? parent, long line)
    {
        string code = concept.Code ?? throw new TerminologyLoadException(file, line, "a concept without a code");
        if (!_byCode.TryAdd(code, _rows.Count))
        {
            throw new TerminologyLoadException(file, line, $"code '{code}' appears twice (first on line {_rows[_byCode[code]].Line})");
        }

        if (parent == code)
        {
            throw new TerminologyLoadException(file, line, $"code '{concept.Code}' is its own parent");
        }

        _rows.Add((concept, parent, line));
    }

    /// <summary>The top-level concepts, children nested in input order.</summary>
    public List<CodeSystem.ConceptDefinitionComponent> Build()
    {
        List<CodeSystem.ConceptDefinitionComponent> roots = [];
        foreach ((CodeSystem.ConceptDefinitionComponent concept, string? parent, long line) in _rows)
        {
            if (parent is null)
            {
                roots.Add(concept);
            }
            else if (_byCode.TryGetValue(parent, out int index))
            {
                _rows[index].Concept.Concept.Add(concept);
            }
            else
            {
                throw new TerminologyLoadException(file, line, $"parent '{parent}' of '{concept.Code}' is not a code of this file");
            }
        }

        // With one parent each, a concept that no root reaches sits on a cycle.
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<CodeSystem.ConceptDefinitionComponent>(roots);
        while (pending.TryPop(out CodeSystem.ConceptDefinitionComponent? next))
        {
            reached.Add(next.Code!);
            next.Concept.ForEach(pending.Push);
        }

        if (reached.Count < _rows.Count)
        {
            (CodeSystem.ConceptDefinitionComponent concept, _, long line) = _rows.First(r => !reached.Contains(r.Concept.Code!));
            throw new TerminologyLoadException(file, line, $"'{concept.Code}' is on a cycle of parents");
        }

        return roots;
    }
}
