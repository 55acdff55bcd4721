using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Access;

/// <summary>
/// Evaluates an access condition on one resource version in memory, from the same index entries and compartments the
/// store's SQL evaluates: for a write before it commits, and for historic versions (whose index rows the store no
/// longer keeps). Conditions are built from a small set of leaves; anything else fails closed with 403.
/// </summary>
public static class AccessFilterEvaluator
{
    public static bool Matches(SearchExpression condition, ResourceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(facts);
        return condition switch
        {
            AndExpression and => and.Operands.All(o => Matches(o, facts)),
            OrExpression or => or.Operands.Any(o => Matches(o, facts)),
            NotExpression not => !Matches(not.Operand, facts),
            IdExpression id => id.Ids.Contains(facts.Id, StringComparer.Ordinal),
            ResourceTypeExpression type => type.Types.Contains(facts.Type, StringComparer.Ordinal),
            CompartmentExpression compartment => facts.Compartments.Contains(compartment.PatientId, StringComparer.Ordinal),
            CompartmentSetExpression set => facts.Compartments.Any(set.PatientIds.Contains),
            TokenExpression token => Entries<TokenIndexEntry>(facts, token.Parameter).Any(e => TokenMatches(token, e)),
            TokenSetExpression set => Entries<TokenIndexEntry>(facts, set.Parameter).Any(e => e is { System: { } s, Code: { } c } && set.Tokens.Contains(new CodeToken(s, c))),
            UriExpression uri => Entries<UriIndexEntry>(facts, uri.Parameter).Any(e => uri.Match == UriMatch.Exact
                ? string.Equals(e.Uri, uri.Value, StringComparison.Ordinal)
                : e.Uri.StartsWith(uri.Value, StringComparison.Ordinal)),
            ReferenceExpression reference => Entries<ReferenceIndexEntry>(facts, reference.Parameter).Any(e => ReferenceMatches(reference, e)),
            StringExpression { Match: StringMatch.Exact } text => Entries<StringIndexEntry>(facts, text.Parameter).Any(e => string.Equals(e.Exact, text.Value, StringComparison.Ordinal)),
            _ => throw FhirException.Forbidden($"The access policy uses a condition ({condition.GetType().Name}) that cannot be enforced here"),
        };
    }

    /// <summary>Whether every leaf of the condition is one this evaluator answers (otherwise only the store's SQL can).</summary>
    public static bool CanEvaluate(SearchExpression condition) => condition switch
    {
        AndExpression and => and.Operands.All(CanEvaluate),
        OrExpression or => or.Operands.All(CanEvaluate),
        NotExpression not => CanEvaluate(not.Operand),
        IdExpression or ResourceTypeExpression or CompartmentExpression or CompartmentSetExpression or TokenExpression or TokenSetExpression
            or UriExpression or ReferenceExpression or StringExpression { Match: StringMatch.Exact } => true,
        _ => false,
    };

    private static IEnumerable<T> Entries<T>(ResourceFacts facts, string parameter)
        where T : IndexEntry => facts.Index.OfType<T>().Where(e => e.Parameter == parameter);

    private static bool TokenMatches(TokenExpression token, TokenIndexEntry entry) =>
        entry.Code is not null
        && (token.System is null || (token.System.Length == 0 ? entry.System is null : token.System == entry.System))
        && (token.Code is null || token.Code == entry.Code);

    private static bool ReferenceMatches(ReferenceExpression reference, ReferenceIndexEntry entry) => reference.Url is not null
        ? entry.Url == reference.Url && (reference.CanonicalVersion is null || reference.CanonicalVersion == entry.CanonicalVersion)
        : entry.Url is null && entry.TargetId == reference.TargetId && (reference.TargetType is null || reference.TargetType == entry.TargetType);
}
