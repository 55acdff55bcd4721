using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>
/// The criteria of a conditional interaction (If-None-Exist, PUT/DELETE Type?query, Type?query references), parsed by
/// the search parser in strict mode and narrowed to the token query the store answers for conditional writes. A
/// criterion that cannot be expressed as tokens is refused rather than dropped: ignoring it would match too much.
/// </summary>
public sealed class ConditionalQueryParser(SearchRequestParser parser)
{
    public TokenQuery Parse(string type, string query, int limit)
    {
        IReadOnlyList<KeyValuePair<string, string>> parameters = QueryStringEncoding.Parse(query);
        if (parameters.Count == 0)
        {
            throw FhirException.PreconditionFailed($"A conditional {type} interaction needs search criteria");
        }

        ParsedSearch search = parser.Parse(SearchScope.ForType(type), parameters, SearchHandling.Strict);
        if (search.Ignored.Count > 0)
        {
            IgnoredParameter first = search.Ignored[0];
            throw FhirException.BadRequest($"Conditional criterion '{first.Name}={first.Value}' cannot be applied: {first.Reason}");
        }

        IReadOnlyList<SearchExpression> clauses = search.Query.Filter switch
        {
            null => throw FhirException.PreconditionFailed($"A conditional {type} interaction needs search criteria"),
            AndExpression and => and.Operands,
            SearchExpression single => [single],
        };

        return new TokenQuery(type, [.. clauses.Select(ToClause)], limit);
    }

    private static TokenClause ToClause(SearchExpression clause) => clause switch
    {
        IdExpression id => new TokenClause("_id", [.. id.Ids.Select(i => new TokenValue(null, i))]),
        TokenExpression token => new TokenClause(token.Parameter, [ToValue(token)]),
        OrExpression { Operands: [TokenExpression first, ..] } anyOf when anyOf.Operands.All(o => o is TokenExpression t && t.Parameter == first.Parameter) =>
            new TokenClause(first.Parameter, [.. anyOf.Operands.Cast<TokenExpression>().Select(ToValue)]),
        _ => throw FhirException.NotSupported("Only token parameters and _id can be used in conditional criteria yet"),
    };

    private static TokenValue ToValue(TokenExpression token) => new(token.System, token.Code);
}
