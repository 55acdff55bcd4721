namespace OpenHip.Fhir.Search.Parsing;

/// <summary>
/// Query strings in and out. Links keep ':', '/', ',' and '$' readable (<c>subject:Patient.name</c>,
/// <c>_include=Observation:patient</c>), which RFC 3986 allows in a query; everything else is percent-encoded.
/// </summary>
public static class QueryStringEncoding
{
    public static string Encode(string text) =>
        Uri.EscapeDataString(text)
            .Replace("%3A", ":", StringComparison.Ordinal)
            .Replace("%2F", "/", StringComparison.Ordinal)
            .Replace("%2C", ",", StringComparison.Ordinal)
            .Replace("%24", "$", StringComparison.Ordinal);

    public static string Build(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    /// <summary>
    /// Splits <c>a=1&amp;b=2</c> (a leading '?' allowed) into decoded pairs, in order; '+' is a space as in HTML forms.
    /// A pair without '=' has an empty value.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string trimmed = query.StartsWith('?') ? query[1..] : query;
        List<KeyValuePair<string, string>> pairs = [];
        foreach (string pair in trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
