using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// Keys of clients registered with a JWKS URL: fetched (at most every few minutes per URL, or at once for an unknown
/// kid) and written into the client's stored key set, where OpenIddict's own assertion validation reads them. Every
/// node therefore validates with the keys in the shared database.
/// </summary>
internal sealed class JwksUrlKeys(IHttpClientFactory http, IOpenIddictApplicationManager applications, TimeProvider time)
{
    public const string HttpClientName = "openhip-jwks";

    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _fetched = new(StringComparer.Ordinal);

    public async Task<bool> SyncAsync(object application, string url, string? kid, CancellationToken ct)
    {
        JsonWebKeySet? stored = await applications.GetJsonWebKeySetAsync(application, ct).ConfigureAwait(false);
        bool known = kid is not null && stored?.Keys.Any(k => k.Kid == kid) == true;
        if (known && _fetched.TryGetValue(url, out DateTimeOffset at) && time.GetUtcNow() - at < Freshness)
        {
            return true;
        }

        string json;
        try
        {
            using HttpClient client = http.CreateClient(HttpClientName);
            json = await client.GetStringAsync(new Uri(url), ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return known;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return known;
        }

        JsonWebKeySet fetched;
        try
        {
            fetched = new JsonWebKeySet(json);
        }
        catch (ArgumentException)
        {
            return known;
        }

        _fetched[url] = time.GetUtcNow();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct).ConfigureAwait(false);
        descriptor.JsonWebKeySet = fetched;
        await applications.UpdateAsync(application, descriptor, ct).ConfigureAwait(false);
        return true;
    }
}
