using OpenHip.Fhir.Resources;
using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// reference values: <c>123</c>, <c>Patient/123</c>, <c>Patient/123/_history/2</c> (the version is ignored: references
/// match the resource), an absolute URL, or a canonical <c>url|version</c>.
/// </summary>
internal static class ReferenceValueParser
{
    /// <param name="typeModifier">The <c>:[type]</c> modifier, already checked against the parameter's targets.</param>
    public static ReferenceExpression Parse(string parameter, string? typeModifier, string raw, RawParameter source, LocalBase localBase)
    {
        int bar = SearchValueSyntax.IndexOf(raw, '|');
        if (bar >= 0)
        {
            string url = SearchValueSyntax.Unescape(raw[..bar]);
            string version = SearchValueSyntax.Unescape(raw[(bar + 1)..]);
            return url.Length == 0
                ? throw source.Invalid("a canonical reference needs a URL before '|'")
                : new ReferenceExpression(parameter, null, null, url, version.Length == 0 ? null : version);
        }

        string value = SearchValueSyntax.Unescape(raw);

        // Ids and type names never contain ':', so a colon means an absolute URL or a URN; one on this server's own
        // base is searched as the relative reference it is.
        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (localBase.Relative(value) is not { } relative)
            {
                return new ReferenceExpression(parameter, null, null, value);
            }

            value = relative;
        }

        string[] segments = value.Split('/');
        (string? type, string id) = segments switch
        {
            [string only] => ((string?)null, only),
            [string t, string i] => (t, i),
            [string t, string i, "_history", _] => (t, i),
            _ => throw source.Invalid($"'{RawParameter.Shorten(value)}' is not a reference (id, Type/id or an absolute URL)"),
        };

        if (!ResourceIds.IsValidId(id))
        {
            throw source.Invalid($"'{RawParameter.Shorten(id)}' is not a valid resource id");
        }

        if (type is not null && !ScopeParameters.IsResourceType(type))
        {
            throw source.Invalid($"'{RawParameter.Shorten(type)}' is not a resource type");
        }

        if (type is not null && typeModifier is not null && type != typeModifier)
        {
            throw source.Invalid($"the value names {type} but the modifier :{typeModifier}");
        }

        return new ReferenceExpression(parameter, type ?? typeModifier, id, null);
    }
}
