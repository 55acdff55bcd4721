using System.Collections.Frozen;
using Hl7.Fhir.Model;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// The value side of one parameter of a known type: checks the modifier against the type, splits the OR list
/// (commas) and parses each value into a leaf expression.
/// </summary>
internal sealed class ValueExpressionParser(
    SearchParameterRegistry registry,
    TimeZoneInfo zone,
    int maxOrValues,
    LocalBase localBase,
    ITokenSetResolver? terminology = null,
    ICodeAncestry? ancestry = null)
{
    private const string TerminologyLater = "is not supported until the terminology service is available";

    // The R4 modifiers: a known one in the wrong place gets a different message from a typo.
    private static readonly FrozenSet<string> KnownModifiers = FrozenSet.Create(
        StringComparer.Ordinal, "missing", "exact", "contains", "text", "not", "above", "below", "in", "not-in", "of-type", "identifier", "type");

    public SearchExpression Parse(SearchParameterInfo parameter, string? modifier, RawParameter source)
    {
        CheckModifier(parameter, modifier, source);
        List<SearchExpression> anyOf = [.. SplitOr(source).Select(v => ParseOne(parameter.Code, parameter, modifier, v, source))];
        SearchExpression expression = SearchExpressions.Or(anyOf);

        // :not negates the whole list: code:not=a,b finds resources with neither a nor b; :not-in likewise for value sets.
        return modifier is "not" or "not-in" ? new NotExpression(expression) : expression;
    }

    /// <summary>The comma-separated values, escapes kept; each is one alternative.</summary>
    public List<string> SplitOr(RawParameter source)
    {
        List<string> values = SearchValueSyntax.Split(source.Value, ',');
        if (values.Count > maxOrValues)
        {
            throw source.Invalid($"more than {maxOrValues} comma-separated values");
        }

        return values.Exists(v => v.Length == 0) ? throw source.Invalid("an empty value in the comma-separated list") : values;
    }

    private SearchExpression ParseOne(string code, SearchParameterInfo parameter, string? modifier, string raw, RawParameter source)
    {
        if (modifier == "missing")
        {
            return raw switch
            {
                "true" => new MissingExpression(code, ScopeParameters.KindOf(parameter.Type), true),
                "false" => new MissingExpression(code, ScopeParameters.KindOf(parameter.Type), false),
                _ => throw source.Invalid(":missing takes true or false"),
            };
        }

        return parameter.Type switch
        {
            SearchParamType.String => StringValueParser.Parse(code, modifier, raw, source),
            SearchParamType.Token => modifier switch
            {
                "text" => TokenValueParser.ParseText(code, raw),
                "of-type" => TokenValueParser.ParseOfType(parameter, raw, source),
                "in" or "not-in" or "below" or "above" => ParseTokenSet(code, modifier, raw, source),
                _ => TokenValueParser.Parse(code, raw, source),
            },
            SearchParamType.Reference when modifier == "identifier" => TokenValueParser.Parse(code, raw, source),
            SearchParamType.Reference => ReferenceValueParser.Parse(code, modifier, raw, source, localBase),
            SearchParamType.Date => DateValueParser.ParseExpression(code, raw, zone, source),
            SearchParamType.Number => QuantityValueParser.ParseNumber(code, raw, source),
            SearchParamType.Quantity => QuantityValueParser.ParseQuantity(code, raw, source),
            SearchParamType.Uri => UriValueParser.Parse(code, modifier, raw),
            SearchParamType.Composite => ParseComposite(code, parameter, raw, source),
            _ => throw source.NotSupported($"{parameter.Type} parameters are not supported"),
        };
    }

    /// <summary>The codes a terminology modifier stands for, resolved now so the store compares plain (system, code) pairs.</summary>
    private TokenSetExpression ParseTokenSet(string code, string modifier, string raw, RawParameter source)
    {
        // CheckModifier has already refused these modifiers when no terminology service is registered.
        ITokenSetResolver resolver = terminology!;
        if (modifier is "in" or "not-in")
        {
            return new TokenSetExpression(code, resolver.Resolve(new TokenSetRequest(TokenSetKind.ValueSet, null, SearchValueSyntax.Unescape(raw))));
        }

        TokenExpression token = TokenValueParser.Parse(code, raw, source);
        if (string.IsNullOrEmpty(token.System) || token.Code is null)
        {
            throw source.Invalid($":{modifier} needs system|code, so the code system whose hierarchy is meant is known");
        }

        var request = new TokenSetRequest(modifier == "below" ? TokenSetKind.Below : TokenSetKind.Above, token.System, token.Code);
        if (request.Kind == TokenSetKind.Below && ancestry?.Find(token.System) is { } hierarchy)
        {
            // The system is known, so resolving cannot fail later; the store resolves only if the closure rows cannot answer.
            return new TokenSetExpression(
                code,
                new DeferredCodeSet(() => resolver.Resolve(request)),
                new ClosureLookup(token.System, hierarchy.Canonical(token.Code), hierarchy.Fingerprint));
        }

        return new TokenSetExpression(code, resolver.Resolve(request));
    }

    /// <summary>Components are separated by '$' and typed by the parameters their definitions name.</summary>
    private CompositeExpression ParseComposite(string code, SearchParameterInfo parameter, string raw, RawParameter source)
    {
        List<string> parts = SearchValueSyntax.Split(raw, '$');
        if (parts.Count != parameter.Components.Count)
        {
            throw source.Invalid($"'{parameter.Code}' takes {parameter.Components.Count} values separated by '$'");
        }

        List<SearchExpression> components = [];
        for (int i = 0; i < parts.Count; i++)
        {
            SearchParameterInfo component = registry.FindByUrl(parameter.Components[i].DefinitionUrl) is { Type: not (SearchParamType.Composite or SearchParamType.Special) } found
                ? found
                : throw source.NotSupported($"component {i} of '{parameter.Code}' has no supported definition");
            components.Add(ParseOne(i.ToString(System.Globalization.CultureInfo.InvariantCulture), component, null, parts[i], source));
        }

        return new CompositeExpression(code, components);
    }

    private void CheckModifier(SearchParameterInfo parameter, string? modifier, RawParameter source)
    {
        if (modifier is null or "missing")
        {
            return;
        }

        bool valid = (parameter.Type, modifier) switch
        {
            (SearchParamType.String, "exact" or "contains" or "text") => true,
            (SearchParamType.Token, "not" or "text" or "of-type") => true,
            (SearchParamType.Token, "above" or "below" or "in" or "not-in") when terminology is not null => true,
            (SearchParamType.Token, "above" or "below" or "in" or "not-in") =>
                throw source.NotSupported($"the modifier :{modifier} on token parameters {TerminologyLater}"),
            (SearchParamType.Reference, "identifier") => true,
            (SearchParamType.Reference, "above" or "below") =>
                throw source.NotSupported($"the modifier :{modifier} on reference parameters is not supported"),
            (SearchParamType.Reference, _) when ScopeParameters.IsResourceType(modifier) => CheckTargetType(parameter, modifier, source),
            (SearchParamType.Uri, "above" or "below") => true,
            _ => false,
        };

        if (!valid)
        {
            throw KnownModifiers.Contains(modifier) || ScopeParameters.IsResourceType(modifier)
                ? source.Invalid($"the modifier :{modifier} is not valid on the {parameter.Type.ToString().ToLowerInvariant()} parameter '{parameter.Code}'")
                : source.Invalid($"unknown modifier :{RawParameter.Shorten(modifier)}");
        }
    }

    /// <summary>True when the reference parameter may point at <paramref name="type"/>; otherwise throws.</summary>
    public static bool CheckTargetType(SearchParameterInfo parameter, string type, RawParameter source) =>
        parameter.Targets.Count == 0 || parameter.Targets.Contains(type, StringComparer.Ordinal)
            ? true
            : throw source.Invalid($"'{parameter.Code}' cannot refer to {type} (it refers to {ScopeParameters.Describe(parameter.Targets)})");

}
