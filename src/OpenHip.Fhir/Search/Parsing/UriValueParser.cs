using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Search.Parsing;

/// <summary>uri values: exact, <c>:below</c> (prefix), <c>:above</c> (the value or any of its ancestors).</summary>
internal static class UriValueParser
{
    public static SearchExpression Parse(string parameter, string? modifier, string raw)
    {
        string value = SearchValueSyntax.Unescape(raw);
        return modifier switch
        {
            "below" => new UriExpression(parameter, UriMatch.Below, value),
            "above" => SearchExpressions.Or(Ancestors(value).Select(a => (SearchExpression)new UriExpression(parameter, UriMatch.Exact, a)).ToList()),
            _ => new UriExpression(parameter, UriMatch.Exact, value),
        };
    }

    /// <summary>
    /// The value, then each shorter path up to the authority, with and without a trailing '/':
    /// <c>http://acme.org/fhir/ValueSet/123</c> → <c>.../ValueSet</c>, <c>.../ValueSet/</c>, <c>.../fhir</c>, ... The store
    /// then compares exactly, which an index serves; URNs have no hierarchy and match only themselves.
    /// </summary>
    public static IReadOnlyList<string> Ancestors(string value)
    {
        List<string> result = [value];
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Authority.Length == 0)
        {
            return result;
        }

        int rootLength = value.IndexOf(uri.Authority, StringComparison.OrdinalIgnoreCase) + uri.Authority.Length;
        string current = value.TrimEnd('/');
        while (current.Length > 0)
        {
            foreach (string candidate in (string[])[current, current + "/"])
            {
                if (!result.Contains(candidate, StringComparer.Ordinal))
                {
                    result.Add(candidate);
                }
            }

            int cut = current.LastIndexOf('/');
            current = cut >= rootLength ? current[..cut] : string.Empty;
        }

        return result;
    }
}
