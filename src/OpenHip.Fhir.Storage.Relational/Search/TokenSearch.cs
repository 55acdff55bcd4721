using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>The conditional-interaction token query as a search: AND of clauses, each an OR of values.</summary>
public static class TokenSearch
{
    public static SearchQuery ToSearchQuery(TokenQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var clauses = query.Clauses.Select(clause => clause.Parameter == "_id"
            ? (SearchExpression)new IdExpression([.. clause.AnyOf.Select(v => v.Code).OfType<string>()])
            : new OrExpression([.. clause.AnyOf.Select(v => new TokenExpression(clause.Parameter, v.System, v.Code))]));
        return new SearchQuery([query.Type], new AndExpression([.. clauses]), [], query.Limit, null, TotalMode.None);
    }
}
