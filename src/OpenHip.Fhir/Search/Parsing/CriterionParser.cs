using System.Diagnostics;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// One filter parameter: its name is plain (<c>code:modifier</c>), chained (<c>subject:Patient.name</c>, several
/// levels), reverse-chained (<c>_has:Observation:patient:code</c>, nested) or one of the Resource parameters with an
/// expression of their own (<c>_id</c>, <c>_lastUpdated</c>, <c>_list</c>); it is resolved against the types in scope
/// and its value parsed into an expression.
/// </summary>
/// <remarks>
/// Only an unknown or unsupported parameter at the top level may be ignored (lenient handling). Inside a chain or
/// <c>_has</c> the client clearly meant a criterion, and dropping it would widen the result, so it is always a 400.
/// </remarks>
internal sealed class CriterionParser(
    SearchParameterRegistry registry,
    ValueExpressionParser values,
    TimeZoneInfo zone,
    int maxChainDepth,
    SearchHandling handling)
{
    private const string HasPrefix = "_has:";

    /// <returns>null when the parameter is ignored; <paramref name="ignoredBecause"/> then says why.</returns>
    public SearchExpression? Parse(IReadOnlyList<string> types, RawParameter source, out string? ignoredBecause) =>
        ParseName(types, source.Name, source, 0, out ignoredBecause);

    private SearchExpression? ParseName(IReadOnlyList<string> types, string name, RawParameter source, int depth, out string? ignoredBecause)
    {
        ignoredBecause = null;
        if (name.StartsWith(HasPrefix, StringComparison.Ordinal))
        {
            return ParseHas(types, name, source, depth);
        }

        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            return ParseChain(types, name[..dot], name[(dot + 1)..], source, depth, out ignoredBecause);
        }

        (string code, string? modifier) = SplitModifier(name);
        switch (code)
        {
            case "_id":
                return ParseId(modifier, source);
            case "_lastUpdated":
                NoModifier(code, modifier, source);
                return SearchExpressions.Or([.. values.SplitOr(source).Select(v => LastUpdated(v, source))]);
            case "_list":
                return ParseList(modifier, source);
            case "_content" or "_filter" or "_query":
                return Ignore($"'{code}' is not supported", depth, source, out ignoredBecause, unsupported: true);
        }

        SearchParameterInfo? parameter = ScopeParameters.Resolve(registry, types, code);
        if (parameter is null)
        {
            return Ignore(ScopeParameters.UnknownReason(types, code), depth, source, out ignoredBecause);
        }

        return ScopeParameters.UnsupportedReason(parameter) is { } unsupported
            ? Ignore(unsupported, depth, source, out ignoredBecause, unsupported: true)
            : values.Parse(parameter, modifier, source);
    }

    /// <summary><c>subject:Patient.rest</c> or <c>subject.rest</c>: the targets that define the next parameter.</summary>
    private ChainExpression? ParseChain(IReadOnlyList<string> types, string head, string rest, RawParameter source, int depth, out string? ignoredBecause)
    {
        ignoredBecause = null;
        (string code, string? typeModifier) = SplitModifier(head);
        SearchParameterInfo? parameter = ScopeParameters.Resolve(registry, types, code);
        if (parameter is null)
        {
            Ignore(ScopeParameters.UnknownReason(types, code), depth, source, out ignoredBecause);
            return null;
        }

        if (parameter.Type != SearchParamType.Reference)
        {
            throw source.Invalid($"'{code}' is a {parameter.Type.ToString().ToLowerInvariant()} parameter; only reference parameters can be chained");
        }

        CheckDepth(depth, source);
        IReadOnlyList<string> targets = ScopeParameters.Targets(registry, types, code);
        List<string> candidates;
        if (typeModifier is not null)
        {
            if (!ScopeParameters.IsResourceType(typeModifier))
            {
                throw source.Invalid($"'{RawParameter.Shorten(typeModifier)}' in '{code}:{RawParameter.Shorten(typeModifier)}' is not a resource type");
            }

            ValueExpressionParser.CheckTargetType(parameter with { Targets = targets }, typeModifier, source);
            candidates = [typeModifier];
        }
        else
        {
            candidates = ChainCandidates(code, targets, rest, source);
        }

        return new ChainExpression(code, candidates, Nested(candidates, rest, source, depth));
    }

    /// <summary>The targets on which the next link's parameter exists, with one type across them.</summary>
    private List<string> ChainCandidates(string code, IReadOnlyList<string> targets, string rest, RawParameter source)
    {
        if (rest.StartsWith(HasPrefix, StringComparison.Ordinal) || targets.Count == 0)
        {
            return targets.Count > 0 ? [.. targets] : throw source.Invalid($"name the target type of '{code}' ({code}:Type.…)");
        }

        string next = SplitModifier(rest.Split('.', 2)[0]).Code;
        if (next is "_id" or "_lastUpdated" or "_list")
        {
            return [.. targets];
        }

        List<string> candidates = [.. targets.Where(t => registry.Find(t, next) is not null)];
        if (candidates.Count == 0)
        {
            throw source.Invalid($"none of the types '{code}' can refer to ({ScopeParameters.Describe(targets)}) has a search parameter '{next}'");
        }

        if (candidates.Select(t => registry.Find(t, next)!.Type).Distinct().Count() > 1)
        {
            throw source.Invalid($"'{next}' has different types on the targets of '{code}'; name one: {code}:Type.{next}");
        }

        return candidates;
    }

    /// <summary><c>_has:SourceType:reference:rest</c>: some SourceType resource refers here and satisfies rest.</summary>
    private ReverseChainExpression ParseHas(IReadOnlyList<string> types, string name, RawParameter source, int depth)
    {
        string[] parts = name.Split(':', 4);
        if (parts.Length < 4 || Array.Exists(parts, p => p.Length == 0))
        {
            throw source.Invalid("_has takes the form _has:Type:reference-parameter:criterion");
        }

        (string sourceType, string reference, string rest) = (parts[1], parts[2], parts[3]);
        if (!ScopeParameters.IsResourceType(sourceType))
        {
            throw source.Invalid($"'{RawParameter.Shorten(sourceType)}' is not a resource type");
        }

        CheckDepth(depth, source);
        SearchParameterInfo? parameter = registry.Find(sourceType, reference);
        if (parameter?.Type != SearchParamType.Reference)
        {
            throw source.Invalid($"{sourceType} has no reference parameter '{RawParameter.Shorten(reference)}'");
        }

        if (parameter.Targets.Count > 0 && !types.Any(t => parameter.Targets.Contains(t, StringComparer.Ordinal)))
        {
            throw source.Invalid($"{sourceType}.{reference} cannot refer to {ScopeParameters.Describe(types)}");
        }

        return new ReverseChainExpression(sourceType, reference, Nested([sourceType], rest, source, depth));
    }

    private SearchExpression Nested(IReadOnlyList<string> types, string name, RawParameter source, int depth) =>
        ParseName(types, name, source, depth + 1, out _) ?? throw new UnreachableException("nested criteria are never ignored");

    private SearchExpression ParseId(string? modifier, RawParameter source)
    {
        if (modifier is not (null or "not"))
        {
            throw source.Invalid($"the modifier :{RawParameter.Shorten(modifier)} is not valid on '_id'");
        }

        var ids = new IdExpression([.. values.SplitOr(source).Select(SearchValueSyntax.Unescape)]);
        return modifier == "not" ? new NotExpression(ids) : ids;
    }

    private LastUpdatedExpression LastUpdated(string raw, RawParameter source)
    {
        (SearchPrefix prefix, DateTimeOffset low, DateTimeOffset high) = DateValueParser.Parse(raw, zone, source);
        return new LastUpdatedExpression(prefix, low, high);
    }

    /// <summary><c>_list=X</c>: resources that List X has as an item.</summary>
    private ReverseChainExpression ParseList(string? modifier, RawParameter source)
    {
        NoModifier("_list", modifier, source);
        List<string> ids = [.. values.SplitOr(source).Select(SearchValueSyntax.Unescape)];
        if (ids.Exists(id => id.StartsWith('$')))
        {
            throw source.NotSupported("functional lists ($current-problems, ...) are not supported");
        }

        return new ReverseChainExpression("List", "item", new IdExpression(ids));
    }

    private SearchExpression? Ignore(string reason, int depth, RawParameter source, out string? ignoredBecause, bool unsupported = false)
    {
        if (depth > 0 || handling == SearchHandling.Strict)
        {
            throw unsupported ? source.NotSupported(reason) : source.Invalid(reason);
        }

        ignoredBecause = reason;
        return null;
    }

    private void CheckDepth(int depth, RawParameter source)
    {
        if (depth + 1 > maxChainDepth)
        {
            throw source.Invalid($"chains and _has may follow at most {maxChainDepth} references");
        }
    }

    private static void NoModifier(string code, string? modifier, RawParameter source)
    {
        if (modifier is not null)
        {
            throw source.Invalid($"the modifier :{RawParameter.Shorten(modifier)} is not valid on '{code}'");
        }
    }

    public static (string Code, string? Modifier) SplitModifier(string name)
    {
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (name, null) : (name[..colon], name[(colon + 1)..]);
    }
}
