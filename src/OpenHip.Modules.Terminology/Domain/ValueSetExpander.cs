using Hl7.Fhir.Model;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Terminology.Domain;

/// <summary>
/// Computes a value set's full expansion from its compose: includes by concept list, by filters over a code system's
/// concepts, by whole code system and by other value sets (intersected), minus the excludes. A value set without a
/// compose but with a stored expansion answers with that. Unknown code systems and value sets are 404s; expansions
/// past <paramref name="maxSize"/> codes are refused as too costly rather than built.
/// </summary>
internal sealed class ValueSetExpander(ITerminologySource source, int maxSize)
{
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly List<string> _grammar = [];

    public Expansion Expand(ValueSet valueSet)
    {
        ArgumentNullException.ThrowIfNull(valueSet);
        string key = valueSet.Url ?? valueSet.Id ?? string.Empty;
        if (!_inProgress.Add(key))
        {
            throw FhirException.Unprocessable($"ValueSet '{key}' includes itself through compose.include.valueSet", "ValueSet.compose.include.valueSet");
        }

        try
        {
            List<ExpansionEntry> entries = Entries(valueSet);
            return new Expansion(entries, [.. _grammar.Distinct(StringComparer.Ordinal)]);
        }
        finally
        {
            _inProgress.Remove(key);
        }
    }

    private List<ExpansionEntry> Entries(ValueSet valueSet)
    {
        if (valueSet.Compose is not { } compose)
        {
            return valueSet.Expansion is { } stored ? [.. Flatten(stored.Contains)] : [];
        }

        bool includeInactive = compose.Inactive ?? true;
        var result = new List<ExpansionEntry>();
        var seen = new HashSet<CodeToken>();
        foreach (ValueSet.ConceptSetComponent include in compose.Include)
        {
            foreach (ExpansionEntry entry in Select(include))
            {
                if ((includeInactive || !entry.Inactive) && seen.Add(new CodeToken(entry.System, entry.Code)))
                {
                    result.Add(entry);
                    if (result.Count > maxSize)
                    {
                        throw TooCostly(valueSet);
                    }
                }
            }
        }

        if (compose.Exclude.Count > 0)
        {
            var excluded = new HashSet<CodeToken>(compose.Exclude.SelectMany(Select).Select(e => new CodeToken(e.System, e.Code)));
            result.RemoveAll(e => excluded.Contains(new CodeToken(e.System, e.Code)));
        }

        return result;
    }

    private IEnumerable<ExpansionEntry> Select(ValueSet.ConceptSetComponent set)
    {
        IEnumerable<ExpansionEntry>? fromSystem = set.System is { Length: > 0 } system ? FromSystem(set, system) : null;
        if (set.ValueSetElement.Count == 0)
        {
            return fromSystem ?? [];
        }

        // Several value sets (and a system part) intersect: a code must be in every one.
        Expansion[] others = [.. set.ValueSet.OfType<string>().Select(ExpandReference)];
        IEnumerable<ExpansionEntry> candidates = fromSystem ?? others[0].Entries;
        return candidates.Where(e => others.All(o => o.Find(e.System, e.Code) is not null));
    }

    private Expansion ExpandReference(string canonical)
    {
        (string url, string? version) = Canonicals.Split(canonical);
        ValueSet referenced = source.FindValueSet(url, version)
            ?? throw FhirException.NotFound($"ValueSet '{canonical}' (named in compose.include.valueSet) is not known to this server");
        return Expand(referenced);
    }

    private IEnumerable<ExpansionEntry> FromSystem(ValueSet.ConceptSetComponent set, string system)
    {
        CompiledCodeSystem? codeSystem = source.FindCodeSystem(system, set.Version);
        if (set.Concept.Count > 0)
        {
            return set.Concept.Where(c => !string.IsNullOrEmpty(c.Code)).Select(c => Listed(c.Code!, c.Display, system, set.Version, codeSystem)).OfType<ExpansionEntry>();
        }

        if (codeSystem is null && GrammarSystems.IsGrammar(system) && set.Filter.Count == 0)
        {
            _grammar.Add(system);
            return [];
        }

        if (codeSystem is null)
        {
            string version = set.Version is null ? string.Empty : $" version '{set.Version}'";
            throw FhirException.NotFound($"CodeSystem '{system}'{version} is not known to this server, so the value set cannot be expanded");
        }

        IEnumerable<Concept> concepts = codeSystem.Concepts;
        foreach (ValueSet.FilterComponent filter in set.Filter)
        {
            concepts = ConceptFilter.Apply(codeSystem, filter, concepts);
        }

        return concepts.Select(c => Entry(codeSystem, c));
    }

    // A listed code of a code system held here must exist in it; one of a system not held here is taken as listed.
    private static ExpansionEntry? Listed(string code, string? display, string system, string? version, CompiledCodeSystem? codeSystem)
    {
        if (codeSystem is null)
        {
            return new ExpansionEntry(system, version, code, display, false, null);
        }

        return codeSystem.Find(code) is { } concept
            ? Entry(codeSystem, concept) with { Display = display ?? concept.Display }
            : codeSystem.Header.Content == "complete" ? null : new ExpansionEntry(system, version, code, display, false, null);
    }

    public static ExpansionEntry Entry(CompiledCodeSystem codeSystem, Concept concept) =>
        new(codeSystem.Url, codeSystem.Version, concept.Code, concept.Display, !concept.Active, concept);

    private static IEnumerable<ExpansionEntry> Flatten(IEnumerable<ValueSet.ContainsComponent> contains)
    {
        foreach (ValueSet.ContainsComponent item in contains)
        {
            if (item.System is not null && item.Code is not null)
            {
                yield return new ExpansionEntry(item.System, item.Version, item.Code, item.Display, item.Inactive ?? false, null);
            }

            foreach (ExpansionEntry nested in Flatten(item.Contains))
            {
                yield return nested;
            }
        }
    }

    private FhirException TooCostly(ValueSet valueSet) => new(
        FhirErrorKind.TooLarge,
        new FhirIssue(OperationOutcome.IssueType.TooCostly, $"ValueSet '{valueSet.Url}' expands to more than {maxSize} codes (Modules:Terminology:MaxExpansionSize)"));
}
