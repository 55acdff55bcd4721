using System.Net;

namespace OpenHip.LoadDriver;

/// <summary>One pooled HttpClient per run, with enough connections that no client waits for a socket.</summary>
internal static class FhirHttp
{
    public static HttpClient Create(Uri baseUri, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(connections, 1),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        {
            BaseAddress = baseUri,
            // Bundles of a few MB on a loaded 2-core machine can take a while; a run is bounded by its scenario instead.
            Timeout = TimeSpan.FromMinutes(5),
            DefaultRequestVersion = HttpVersion.Version11,
        };
}
