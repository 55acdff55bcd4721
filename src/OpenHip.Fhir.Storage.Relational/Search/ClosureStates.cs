using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// Whether the <c>:below</c> closure rows a search could use are recorded complete for the hierarchy it was resolved
/// against. Read before the search in the same snapshot, so the statement carries only the path that answers: the
/// closure rows (no code list bound at all) or the resolved code set.
/// </summary>
public static class ClosureStates
{
    /// <summary>The closure lookups anywhere in a filter, each once.</summary>
    public static IReadOnlyList<ClosureLookup> In(SearchExpression? filter)
    {
        var found = new List<ClosureLookup>();
        Collect(filter, found);
        return found;
    }

    /// <summary>The statement reading the recorded fingerprints of the lookups' systems (rows: key, value).</summary>
    public static CompiledSql Read(IReadOnlyList<ClosureLookup> lookups, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        var parameters = new SqlParameters(dialect);
        string keys = parameters.AddList([.. lookups.Select(l => (object)TokenClosure.StateKey(l.System)).Distinct()]);
        return new CompiledSql($"SELECT key, value FROM index_state WHERE key IN ({keys})", parameters.Values);
    }

    /// <summary>Each lookup, and whether its system's recorded fingerprint is the one it was resolved against.</summary>
    public static Dictionary<ClosureLookup, bool> Judge(IReadOnlyList<ClosureLookup> lookups, IReadOnlyDictionary<string, string> recorded)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        ArgumentNullException.ThrowIfNull(recorded);
        return lookups.Distinct().ToDictionary(
            l => l,
            l => recorded.TryGetValue(TokenClosure.StateKey(l.System), out string? fingerprint) && fingerprint == l.Fingerprint);
    }

    private static void Collect(SearchExpression? expression, List<ClosureLookup> found)
    {
        switch (expression)
        {
            case TokenSetExpression { Closure: { } closure } when !found.Contains(closure):
                found.Add(closure);
                break;
            case AndExpression and:
                foreach (SearchExpression operand in and.Operands)
                {
                    Collect(operand, found);
                }

                break;
            case OrExpression or:
                foreach (SearchExpression operand in or.Operands)
                {
                    Collect(operand, found);
                }

                break;
            case NotExpression not:
                Collect(not.Operand, found);
                break;
            case ChainExpression chain:
                Collect(chain.Target, found);
                break;
            case ReverseChainExpression reverse:
                Collect(reverse.SourceFilter, found);
                break;
        }
    }
}
