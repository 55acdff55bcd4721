using System.Runtime.CompilerServices;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Access;

/// <summary>
/// What judging one resource against an access condition needs: the search parameters its leaves name and whether it
/// asks about compartments. A consent restriction names only compartments and <c>_source</c>, so a read extracts those
/// two instead of every index entry of the type.
/// </summary>
internal sealed class ConditionNeeds
{
    private static readonly ConditionalWeakTable<SearchExpression, ConditionNeeds> Cache = [];

    private ConditionNeeds(SearchExpression condition)
    {
        var parameters = new HashSet<string>(StringComparer.Ordinal);
        Collect(condition, parameters);
        Parameters = parameters;
    }

    /// <summary>Parameter codes (suffixes such as <c>:of-type</c> removed, as the indexer's extractors are named).</summary>
    public IReadOnlySet<string> Parameters { get; }

    public bool Compartments { get; private set; }

    public static ConditionNeeds Of(SearchExpression condition) => Cache.GetValue(condition, c => new ConditionNeeds(c));

    private void Collect(SearchExpression condition, HashSet<string> parameters)
    {
        switch (condition)
        {
            case AndExpression and:
                foreach (SearchExpression operand in and.Operands)
                {
                    Collect(operand, parameters);
                }

                break;
            case OrExpression or:
                foreach (SearchExpression operand in or.Operands)
                {
                    Collect(operand, parameters);
                }

                break;
            case NotExpression not:
                Collect(not.Operand, parameters);
                break;
            case CompartmentExpression or CompartmentSetExpression:
                Compartments = true;
                break;
            default:
                if (ParameterOf(condition) is { } parameter)
                {
                    parameters.Add(parameter.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? parameter[..colon] : parameter);
                }

                break;
        }
    }

    private static string? ParameterOf(SearchExpression leaf) => leaf switch
    {
        TokenExpression token => token.Parameter,
        TokenSetExpression set => set.Parameter,
        UriExpression uri => uri.Parameter,
        ReferenceExpression reference => reference.Parameter,
        StringExpression text => text.Parameter,
        _ => null,
    };
}
