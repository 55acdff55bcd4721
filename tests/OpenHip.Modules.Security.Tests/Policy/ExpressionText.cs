using OpenHip.Fhir.Access;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Modules.Security.Tests.Policy;

/// <summary>Expressions as short text, so tests can assert a whole compiled tree (records compare lists by reference).</summary>
internal static class ExpressionText
{
    public static string Of(SearchExpression? expression) => expression switch
    {
        null => "-",
        AndExpression and => "and(" + string.Join(", ", and.Operands.Select(Of)) + ")",
        OrExpression or => "or(" + string.Join(", ", or.Operands.Select(Of)) + ")",
        NotExpression not => "not(" + Of(not.Operand) + ")",
        CompartmentExpression c => "compartment(" + c.PatientId + ")",
        CompartmentSetExpression s => "compartments(" + string.Join(' ', s.PatientIds.Order(StringComparer.Ordinal)) + ")",
        TokenExpression t => $"{t.Parameter}={t.System}|{t.Code}",
        UriExpression u => $"{u.Parameter}={u.Value}",
        ResourceTypeExpression r => "type(" + string.Join(' ', r.Types) + ")",
        _ => expression.GetType().Name,
    };

    public static string Of(AccessRule rule) => $"{rule.Type} {rule.Rights} {Of(rule.Filter)}";

    public static string Of(AccessRestriction restriction) => $"{restriction.Type} {restriction.Rights} {Of(restriction.Condition)}";
}
