using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OpenHip.LoadDriver;

/// <summary>One search over HTTP: status, body and the time from send to the last byte read.</summary>
internal sealed class SearchResponse
{
    private readonly byte[] _body;

    private SearchResponse(HttpStatusCode status, byte[] body, long elapsedTicks)
    {
        Status = status;
        _body = body;
        ElapsedTicks = elapsedTicks;
    }

    public HttpStatusCode Status { get; }

    public long ElapsedTicks { get; }

    public bool Ok => Status == HttpStatusCode.OK;

    /// <summary>Relative URL <c>Type?name=value&amp;...</c> with names and values percent-encoded.</summary>
    public static Uri Url(string type, IEnumerable<KeyValuePair<string, string>> query) =>
        new(type + "?" + string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))), UriKind.Relative);

    public static async Task<SearchResponse> GetAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/fhir+json");
        long sent = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await http.SendAsync(request, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return new SearchResponse(response.StatusCode, body, Stopwatch.GetTimestamp() - sent);
    }

    /// <summary>A 200 Bundle, or an exception naming the request: value discovery cannot go on without it.</summary>
    public static async Task<JsonDocument> GetBundleAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        SearchResponse response = await GetAsync(http, url, ct).ConfigureAwait(false);
        if (!response.Ok)
        {
            string text = Encoding.UTF8.GetString(response._body);
            throw new InvalidOperationException($"GET {url} answered {(int)response.Status}: {text[..Math.Min(text.Length, 400)]}");
        }

        return response.Parse();
    }

    public JsonDocument Parse() => JsonDocument.Parse(_body);

    /// <summary>Entries of the Bundle whose search.mode is <paramref name="mode"/> ("match" or "include").</summary>
    public static IEnumerable<JsonElement> Resources(JsonDocument bundle, string mode)
    {
        if (!bundle.RootElement.TryGetProperty("entry", out JsonElement entries))
        {
            yield break;
        }

        foreach (JsonElement entry in entries.EnumerateArray())
        {
            if (entry.TryGetProperty("search", out JsonElement search) && search.TryGetProperty("mode", out JsonElement m) && m.GetString() == mode
                && entry.TryGetProperty("resource", out JsonElement resource))
            {
                yield return resource;
            }
        }
    }

    /// <summary>The Bundle's next link, absolute; null on the last page.</summary>
    public static Uri? Next(JsonDocument bundle)
    {
        if (bundle.RootElement.TryGetProperty("link", out JsonElement links))
        {
            foreach (JsonElement link in links.EnumerateArray())
            {
                if (link.GetProperty("relation").GetString() == "next")
                {
                    return new Uri(link.GetProperty("url").GetString()!, UriKind.Absolute);
                }
            }
        }

        return null;
    }

    /// <summary>A string property, or null when missing.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
