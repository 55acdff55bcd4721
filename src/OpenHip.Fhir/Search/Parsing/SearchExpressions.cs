using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>Combinators that keep the tree flat: one operand stays itself, nested ORs/ANDs merge into their parent.</summary>
internal static class SearchExpressions
{
    public static SearchExpression Or(IReadOnlyList<SearchExpression> operands)
    {
        List<SearchExpression> flat = [.. operands.SelectMany(o => o is OrExpression or ? or.Operands : [o])];
        return flat.Count == 1 ? flat[0] : new OrExpression(flat);
    }

    /// <summary>null for no operands: no filter.</summary>
    public static SearchExpression? And(IReadOnlyList<SearchExpression> operands)
    {
        List<SearchExpression> flat = [.. operands.SelectMany(o => o is AndExpression and ? and.Operands : [o])];
        return flat.Count switch
        {
            0 => null,
            1 => flat[0],
            _ => new AndExpression(flat),
        };
    }
}
