using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>The conditional-interaction token query as a search: AND of clauses, each an OR of values.</summary>
public static class TokenSearch
{
    public static SearchQuery ToSearchQuery(TokenQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new SearchQuery([query.Type], new AndExpression([.. query.Clauses.Select(ToExpression)]), [], query.Limit, null, TotalMode.None);
    }

    /// <summary>One clause: an id list for <c>_id</c>, else an OR of token leaves.</summary>
    public static SearchExpression ToExpression(TokenClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return clause.Parameter == "_id"
            ? new IdExpression([.. clause.AnyOf.Select(v => v.Code).OfType<string>()])
            : new OrExpression([.. Leaves(clause)]);
    }

    /// <summary>The token leaves of a clause other than <c>_id</c>, one per value.</summary>
    public static IReadOnlyList<SearchExpression> Leaves(TokenClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return [.. clause.AnyOf.Select(v => new TokenExpression(clause.Parameter, v.System, v.Code))];
    }
}
