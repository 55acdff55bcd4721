using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Indexing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>token values: <c>code</c>, <c>system|code</c>, <c>|code</c> (no system), <c>system|</c> (any code).</summary>
internal static class TokenValueParser
{
    public static TokenExpression Parse(string parameter, string raw, RawParameter source)
    {
        int bar = SearchValueSyntax.IndexOf(raw, '|');
        if (bar < 0)
        {
            return new TokenExpression(parameter, null, SearchValueSyntax.Unescape(raw));
        }

        string system = SearchValueSyntax.Unescape(raw[..bar]);
        string code = SearchValueSyntax.Unescape(raw[(bar + 1)..]);
        if (system.Length == 0 && code.Length == 0)
        {
            throw source.Invalid("a token needs a code, a system| or both");
        }

        return new TokenExpression(parameter, system, code.Length == 0 ? null : code);
    }

    /// <summary>
    /// <c>:of-type</c>: <c>typeSystem|typeCode|value</c>, matched against the entries the indexer writes for typed
    /// Identifiers under <c>parameter:of-type</c> with code <c>typeCode|value</c>.
    /// </summary>
    public static TokenExpression ParseOfType(SearchParameterInfo parameter, string raw, RawParameter source)
    {
        if (!IsIdentifierParameter(parameter))
        {
            throw source.Invalid($":of-type applies to identifier parameters only, and '{parameter.Code}' is not one");
        }

        List<string> parts = SearchValueSyntax.Split(raw, '|');
        if (parts.Count != 3 || parts.Exists(p => p.Length == 0))
        {
            throw source.Invalid(":of-type expects typeSystem|typeCode|value");
        }

        string typeCode = SearchValueSyntax.Unescape(parts[1]);
        string value = SearchValueSyntax.Unescape(parts[2]);
        return new TokenExpression(parameter.Code + TokenIndexEntry.OfTypeSuffix, SearchValueSyntax.Unescape(parts[0]), typeCode + "|" + value);
    }

    public static TokenTextExpression ParseText(string parameter, string raw) =>
        new(parameter, SearchText.Normalize(SearchValueSyntax.Unescape(raw)));

    // Every branch of the expression must select Identifiers (identifier, masterIdentifier, groupIdentifier, ...).
    private static bool IsIdentifierParameter(SearchParameterInfo parameter) =>
        parameter.Expression is { } expression
        && CompiledPath.SplitUnion(expression).All(b => b.Trim().TrimEnd(')').EndsWith("identifier", StringComparison.OrdinalIgnoreCase));
}
