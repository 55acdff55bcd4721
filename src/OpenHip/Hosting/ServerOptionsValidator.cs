using System.Net;
using Microsoft.Extensions.Options;

namespace OpenHip.Hosting;

/// <summary>Start-up checks with messages an operator can act on.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        List<string> failures = [];
        foreach (string url in options.UrlList)
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri)
                || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"Server:Urls: '{url}' is not an http(s) address");
                continue;
            }

            if (!options.AuthEnabled && !IsLoopback(uri.Host))
            {
                failures.Add($"Server:Urls: '{url}' is not a loopback address. With --no-auth (Security:Auth:Enabled=false) every caller is unrestricted, so OpenHIP only listens on loopback (127.0.0.1, [::1], localhost); turn auth on to listen on other addresses.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
}
