using Microsoft.Extensions.Options;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Parsing;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Parsing;

/// <summary>Test helpers: parse a query string, compare trees, expect a 400.</summary>
internal static class SearchParsing
{
    public static readonly SearchParameterRegistry Registry = new();

    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static SearchRequestParser Parser(FhirEngineOptions? options = null) => new(Registry, Options.Create(options ?? new FhirEngineOptions()));

    public static ParsedSearch Parse(string type, string query, SearchHandling handling = SearchHandling.Lenient) =>
        Parse(SearchScope.ForType(type), query, handling);

    public static ParsedSearch Parse(SearchScope scope, string query, SearchHandling handling = SearchHandling.Lenient) =>
        Parser().Parse(scope, QueryStringEncoding.Parse(query), handling);

    /// <summary>One parameter given as is (no URL decoding), for values with '+', '&amp;' or '%'.</summary>
    public static ParsedSearch ParseRaw(string type, string name, string value, SearchHandling handling = SearchHandling.Lenient) =>
        Parser().Parse(SearchScope.ForType(type), [new(name, value)], handling);

    public static SearchExpression? Filter(string type, string query) => Parse(type, query).Query.Filter;

    public static FhirException Fails(string type, string query, SearchHandling handling = SearchHandling.Lenient) =>
        Fails(() => Parse(type, query, handling));

    public static FhirException Fails(Action action)
    {
        FhirException error = Assert.Throws<FhirException>(action);
        Assert.Equal(400, FhirErrorStatus.Of(error.Kind));
        return error;
    }

    /// <summary>
    /// Records compare lists by reference, so the nodes that hold lists are compared operand by operand; leaves use
    /// their record equality. A failure prints both trees.
    /// </summary>
    public static void AssertTree(SearchExpression? expected, SearchExpression? actual) =>
        Assert.True(Same(expected, actual), $"Expected: {Render(expected)}{Environment.NewLine}Actual:   {Render(actual)}");

    private static bool Same(SearchExpression? a, SearchExpression? b) => (a, b) switch
    {
        (AndExpression x, AndExpression y) => SameList(x.Operands, y.Operands),
        (OrExpression x, OrExpression y) => SameList(x.Operands, y.Operands),
        (NotExpression x, NotExpression y) => Same(x.Operand, y.Operand),
        (IdExpression x, IdExpression y) => x.Ids.SequenceEqual(y.Ids),
        (CompositeExpression x, CompositeExpression y) => x.Parameter == y.Parameter && SameList(x.Components, y.Components),
        (ChainExpression x, ChainExpression y) => x.Parameter == y.Parameter && x.TargetTypes.SequenceEqual(y.TargetTypes) && Same(x.Target, y.Target),
        (ReverseChainExpression x, ReverseChainExpression y) => x.SourceType == y.SourceType && x.Parameter == y.Parameter && Same(x.SourceFilter, y.SourceFilter),
        _ => Equals(a, b),
    };

    private static bool SameList(IReadOnlyList<SearchExpression> a, IReadOnlyList<SearchExpression> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Same(p.First, p.Second));

    public static string Render(SearchExpression? expression) => expression switch
    {
        null => "null",
        AndExpression and => $"And({string.Join(", ", and.Operands.Select(Render))})",
        OrExpression or => $"Or({string.Join(", ", or.Operands.Select(Render))})",
        NotExpression not => $"Not({Render(not.Operand)})",
        IdExpression id => $"Id({string.Join(", ", id.Ids)})",
        CompositeExpression composite => $"Composite({composite.Parameter}: {string.Join(", ", composite.Components.Select(Render))})",
        ChainExpression chain => $"Chain({chain.Parameter} -> [{string.Join(", ", chain.TargetTypes)}]: {Render(chain.Target)})",
        ReverseChainExpression has => $"Has({has.SourceType}.{has.Parameter}: {Render(has.SourceFilter)})",
        _ => expression.ToString(),
    };

    public static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millisecond = 0) =>
        new(year, month, day, hour, minute, second, millisecond, Shanghai);
}
