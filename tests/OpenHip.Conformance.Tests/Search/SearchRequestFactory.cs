using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>
/// Turns a case's query, written as a person reads it (<c>Patient?name=张&amp;birthdate=ge2020-01-01T00:00:00+08:00</c>),
/// into the HTTP request: each name and value percent-encoded, so <c>+</c>, <c>\</c>, spaces and CJK text arrive as
/// written. <c>{{base}}</c> is the server's base URL; <c>{{repeat:N:text}}</c> is text N times (absurdly long input).
/// </summary>
public static partial class SearchRequestFactory
{
    public static HttpRequestMessage Create(SearchCase searchCase, SearchServer server)
    {
        string query = Expand(server.WithBase(searchCase.Query));
        int mark = query.IndexOf('?', StringComparison.Ordinal);
        string path = mark < 0 ? query : query[..mark];
        List<KeyValuePair<string, string>> parameters = mark < 0 ? [] : Parameters(query[(mark + 1)..]);
        string target = path.Length == 0 ? server.BaseUrl : $"{server.BaseUrl}/{path}";

        HttpRequestMessage request;
        if (searchCase.Method == "POST")
        {
            request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(parameters) };
        }
        else
        {
            string encoded = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            request = new HttpRequestMessage(HttpMethod.Get, encoded.Length == 0 ? target : $"{target}?{encoded}");
        }

        request.Headers.Accept.ParseAdd("application/fhir+json");
        foreach (KeyValuePair<string, string> header in searchCase.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    /// <summary>The decoded parameters of a URL the server returned (a self or next link).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParametersOf(string url)
    {
        int mark = url.IndexOf('?', StringComparison.Ordinal);
        return mark < 0
            ? []
            : Parameters(url[(mark + 1)..]).Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p.Key), Uri.UnescapeDataString(p.Value.Replace('+', ' ')))).ToList();
    }

    private static List<KeyValuePair<string, string>> Parameters(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                ? new KeyValuePair<string, string>(pair[..eq], pair[(eq + 1)..])
                : new KeyValuePair<string, string>(pair, string.Empty))
            .ToList();

    private static string Expand(string query) => RepeatPattern().Replace(query, m =>
    {
        int times = int.Parse(m.Groups["times"].Value, CultureInfo.InvariantCulture);
        return new StringBuilder(m.Groups["text"].Length * times).Insert(0, m.Groups["text"].Value, times).ToString();
    });

    [GeneratedRegex(@"\{\{repeat:(?<times>\d+):(?<text>.*?)\}\}")]
    private static partial Regex RepeatPattern();
}
