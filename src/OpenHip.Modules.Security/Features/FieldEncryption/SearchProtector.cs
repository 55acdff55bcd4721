using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;

namespace OpenHip.Modules.Security.Features.FieldEncryption;

/// <summary>
/// Turns search values into what the protected index holds: a token value under a protected system becomes its blind
/// index; a value without a system, on the parameters that may hold protected values, looks for both. Nothing else
/// can match a protected value: string, <c>:text</c>, <c>:contains</c>-style and range searches simply find nothing
/// there (exact search only, the documented cost of field encryption).
/// </summary>
internal sealed class SearchProtector(ProtectedSystems systems, BlindIndex blind, IReadOnlySet<string> unqualifiedParameters)
{
    public SearchExpression? Protect(SearchExpression? expression) => expression switch
    {
        null => null,
        TokenExpression token => ProtectToken(token),
        AndExpression and => new AndExpression([.. and.Operands.Select(o => Protect(o)!)]),
        OrExpression or => new OrExpression([.. or.Operands.Select(o => Protect(o)!)]),
        NotExpression not => new NotExpression(Protect(not.Operand)!),
        CompositeExpression composite => composite with { Components = [.. composite.Components.Select(c => Protect(c)!)] },
        ChainExpression chain => chain with { Target = Protect(chain.Target)! },
        ReverseChainExpression reverse => reverse with { SourceFilter = Protect(reverse.SourceFilter)! },
        _ => expression,
    };

    public TokenQuery Protect(TokenQuery query) =>
        query with { Clauses = [.. query.Clauses.Select(c => c with { AnyOf = [.. c.AnyOf.SelectMany(v => Alternatives(c.Parameter, v.System, v.Code)).Select(a => new TokenValue(a.System, a.Code)).Distinct()] })] };

    private SearchExpression ProtectToken(TokenExpression token)
    {
        List<(string? System, string? Code)> alternatives = [.. Alternatives(token.Parameter, token.System, token.Code)];
        SearchExpression[] operands = [.. alternatives.Select(a => token with { System = a.System, Code = a.Code })];
        return operands.Length == 1 ? operands[0] : new OrExpression(operands);
    }

    /// <summary>The (system, code) pairs the index may hold for one search value.</summary>
    private IEnumerable<(string? System, string? Code)> Alternatives(string parameter, string? system, string? code)
    {
        if (code is null || parameter == "_id")
        {
            yield return (system, code);
            yield break;
        }

        if (parameter.EndsWith(TokenIndexEntry.OfTypeSuffix, StringComparison.Ordinal))
        {
            // typeSystem|typeCode|value: the identifier's own system is not in the query, so look for both.
            int bar = code.IndexOf('|', StringComparison.Ordinal);
            yield return (system, code);
            if (bar >= 0)
            {
                yield return (system, code[..(bar + 1)] + blind.Of(code[(bar + 1)..]));
            }

            yield break;
        }

        if (systems.IsProtected(system))
        {
            yield return (system, blind.Of(code));
            yield break;
        }

        yield return (system, code);
        if (string.IsNullOrEmpty(system) && unqualifiedParameters.Contains(parameter))
        {
            yield return (system, blind.Of(code));
        }
    }
}
