using Microsoft.Extensions.DependencyInjection;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// The last check before a client-supplied JWKS URL is fetched, on the HTTP client itself: a URL off
/// Security:Auth:JwksUrlAllowList is refused before any connection is opened, whichever code path asked (client
/// registration, the token endpoint). JWKS URLs come from whoever registers a client, so without this the server could
/// be made to call any address it can reach (SSRF).
/// </summary>
internal sealed class JwksAllowListHandler(IServiceProvider services) : DelegatingHandler
{
    public static bool IsAllowed(IEnumerable<string> allowList, Uri url) =>
        url.IsAbsoluteUri && allowList.Any(allowed => url.AbsoluteUri.StartsWith(allowed, StringComparison.Ordinal));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> allowList = services.GetService<AuthOptions>()?.JwksUrlAllowList ?? [];
        return request.RequestUri is { } url && IsAllowed(allowList, url)
            ? base.SendAsync(request, cancellationToken)
            : throw new HttpRequestException($"{request.RequestUri} is not on the allow-list (Security:Auth:JwksUrlAllowList); no request was made");
    }
}
