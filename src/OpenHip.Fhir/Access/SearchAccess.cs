using Hl7.Fhir.Model;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;

namespace OpenHip.Fhir.Access;

/// <summary>
/// Puts an access policy inside a search before the store sees it: the primary types and their conditions, the target
/// of every chain and the source of every <c>_has</c> (so no predicate can test a resource the caller may not see), and
/// the condition on each include step. A type the caller may not see at all is refused (403), never silently searched.
/// </summary>
public sealed class SearchAccess(SearchParameterRegistry registry)
{
    private static IReadOnlyList<string> AllTypes => ScopeParameters.AllResourceTypes;

    /// <summary>The query restricted to what the caller may search; 403 when a named type or a chained type is not theirs.</summary>
    public static SearchQuery Secure(SearchQuery query, AccessPolicy policy, bool systemWide)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.IsUnrestricted)
        {
            return query;
        }

        IReadOnlyList<string> types = query.Types.Count == 0 ? AllTypes : query.Types;
        if (systemWide)
        {
            // A system search without _type means "everything I may search".
            types = [.. types.Where(t => policy.For(t, AccessRights.Search).Allowed)];
            if (types.Count == 0)
            {
                throw AccessGuard.Denied(policy, "any type", AccessRights.Search);
            }
        }
        else
        {
            foreach (string type in types)
            {
                AccessGuard.Require(policy, type, AccessRights.Search);
            }
        }

        SearchExpression? filter = query.Filter is null ? null : Secure(query.Filter, policy);
        SearchExpression? visible = policy.Visible(types, AccessRights.Search);
        SearchExpression? combined = (filter, visible) switch
        {
            (null, _) => visible,
            (_, null) => filter,
            _ => new AndExpression([filter, visible]),
        };
        return query with { Types = types, Filter = combined };
    }

    /// <summary>The condition on the resources one include step brings in (null: all visible).</summary>
    public SearchExpression? IncludeFilter(SearchInclude include, bool reverse, AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.IsUnrestricted)
        {
            return null;
        }

        return policy.Visible(reverse ? [include.SourceType] : IncludeTargets(include), AccessRights.Read);
    }

    /// <summary>Every type a reference from <paramref name="sourceType"/> may point at (for $everything's referenced resources).</summary>
    public IReadOnlyList<string> ReferenceTargets(string sourceType) => Targets(sourceType, null);

    /// <summary>The types the caller may read among <paramref name="types"/> (all types when empty).</summary>
    public static IReadOnlyList<string> Readable(IReadOnlyList<string> types, AccessPolicy policy) =>
        [.. (types.Count == 0 ? AllTypes : types).Where(t => policy.For(t, AccessRights.Read).Allowed)];

    private IReadOnlyList<string> IncludeTargets(SearchInclude include) =>
        include.TargetType is not null ? [include.TargetType] : Targets(include.SourceType, include.Parameter);

    private IReadOnlyList<string> Targets(string sourceType, string? parameter)
    {
        IEnumerable<SearchParameterInfo> parameters = parameter is null
            ? registry.ForType(sourceType).Where(p => p.Type == SearchParamType.Reference)
            : registry.Find(sourceType, parameter) is { } one ? [one] : [];
        var targets = parameters.SelectMany(p => p.Targets).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return targets.Count == 0 ? AllTypes : targets;
    }

    private static SearchExpression Secure(SearchExpression expression, AccessPolicy policy) => expression switch
    {
        AndExpression and => new AndExpression([.. and.Operands.Select(o => Secure(o, policy))]),
        OrExpression or => new OrExpression([.. or.Operands.Select(o => Secure(o, policy))]),
        NotExpression not => new NotExpression(Secure(not.Operand, policy)),
        ChainExpression chain => chain with { Target = Restrict(Secure(chain.Target, policy), chain.TargetTypes.Count == 0 ? AllTypes : chain.TargetTypes, policy) },
        ReverseChainExpression reverse => reverse with { SourceFilter = Restrict(Secure(reverse.SourceFilter, policy), [reverse.SourceType], policy) },
        _ => expression,
    };

    private static SearchExpression Restrict(SearchExpression target, IReadOnlyList<string> types, AccessPolicy policy)
    {
        if (!types.Any(t => policy.For(t, AccessRights.Read).Allowed))
        {
            throw AccessGuard.Denied(policy, string.Join(", ", types), AccessRights.Read);
        }

        return policy.Visible(types, AccessRights.Read) is { } visible ? new AndExpression([target, visible]) : target;
    }
}
