using Microsoft.Extensions.Logging;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;

namespace OpenHip.Modules.Security.Features.Policy;

/// <summary>
/// Turns a granular scope's query (<c>category=http://...|laboratory</c>) into the filter of its rule with the engine's
/// own search parser, so a scope means exactly what the same search would. Fails closed: a query that does not parse,
/// or that uses anything beyond token, uri, reference and exact string criteria joined by AND/OR, grants nothing.
/// </summary>
internal sealed class GranularFilterCompiler(SearchRequestParser parser, ILogger<GranularFilterCompiler> logger)
{
    /// <summary>The filter, or null when the scope must be dropped.</summary>
    public SearchExpression? Compile(string type, string query)
    {
        List<KeyValuePair<string, string>> parameters = [];
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                return Refuse(type, "a criterion is not name=value");
            }

            parameters.Add(new(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..])));
        }

        if (parameters.Count == 0)
        {
            return Refuse(type, "no criterion");
        }

        ParsedSearch parsed;
        try
        {
            parsed = parser.Parse(SearchScope.ForType(type), parameters, SearchHandling.Strict);
        }
        catch (FhirException)
        {
            return Refuse(type, "the query does not parse as a search");
        }

        // Paging, sorting, includes and the like shape a result, they do not select resources: not a filter.
        bool onlyCriteria = parsed.Includes.Count == 0 && parsed.RevIncludes.Count == 0 && parsed.Elements.Count == 0
            && parsed.Summary == SummaryMode.False && parsed.Query.Sort.Count == 0 && parsed.Ignored.Count == 0;
        if (!onlyCriteria || parsed.Query.Filter is not { } filter)
        {
            return Refuse(type, "only search criteria may narrow a scope");
        }

        return IsEnforceable(filter) ? filter : Refuse(type, "a criterion kind the policy cannot evaluate in memory");
    }

    /// <summary>The leaves the engine evaluates both in SQL and in memory (writes, history); anything else fails closed.</summary>
    internal static bool IsEnforceable(SearchExpression expression) => expression switch
    {
        AndExpression and => and.Operands.All(IsEnforceable),
        OrExpression or => or.Operands.All(IsEnforceable),
        TokenExpression or TokenSetExpression or UriExpression or ReferenceExpression => true,
        StringExpression { Match: StringMatch.Exact } => true,
        _ => false,
    };

    private SearchExpression? Refuse(string type, string why)
    {
        // The query itself may carry identifiers; the type and the reason are enough to find the client's mistake.
        PolicyLog.GranularScopeDropped(logger, type, why);
        return null;
    }
}
