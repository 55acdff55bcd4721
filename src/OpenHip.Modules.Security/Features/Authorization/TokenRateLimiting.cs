using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>
/// Fixed-window limits on the token endpoint, per client_id and per IP address (both must allow a request); other
/// paths are not limited here. A refusal is 429 with <c>Retry-After</c> in seconds.
/// </summary>
internal static class TokenRateLimiting
{
    public const string ClientIdItem = "openhip.token-client-id";

    public static void Configure(RateLimiterOptions limiter, AuthOptions options)
    {
        string tokenPath = "/" + AuthEndpoints.Token;
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsToken(context, tokenPath)
                ? RateLimitPartition.GetFixedWindowLimiter("ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None), _ => Window(options.RateLimit.PerIp, options))
                : RateLimitPartition.GetNoLimiter(string.Empty)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsToken(context, tokenPath)
                ? RateLimitPartition.GetFixedWindowLimiter("client:" + (context.Items[ClientIdItem] as string ?? string.Empty), _ => Window(options.RateLimit.PerClient, options))
                : RateLimitPartition.GetNoLimiter(string.Empty)));
        limiter.OnRejected = (rejected, ct) =>
        {
            TimeSpan retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : options.RateLimit.Window;
            rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            rejected.HttpContext.Response.ContentType = "application/json";
            return new ValueTask(rejected.HttpContext.Response.WriteAsync(
                "{\"error\":\"slow_down\",\"error_description\":\"too many token requests; retry later\"}", Encoding.UTF8, ct));
        };
    }

    /// <summary>
    /// Runs before the limiter: the limiter's partitioner is synchronous, so the client_id (form field, Basic
    /// credentials or the assertion's issuer) is read here. The form stays buffered for OpenIddict.
    /// </summary>
    public static async Task ResolveClientIdAsync(HttpContext context, Func<Task> next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/" + AuthEndpoints.Token, StringComparison.Ordinal) && context.Request.HasFormContentType)
        {
            IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            context.Items[ClientIdItem] = ClientIdOf(context, form);
        }

        await next().ConfigureAwait(false);
    }

    private static string ClientIdOf(HttpContext context, IFormCollection form)
    {
        if (form["client_id"].FirstOrDefault() is { Length: > 0 } clientId)
        {
            return clientId;
        }

        string? authorization = context.Request.Headers.Authorization;
        if (authorization?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                return Uri.UnescapeDataString(decoded.Split(':', 2)[0]);
            }
            catch (FormatException)
            {
                return string.Empty;
            }
        }

        if (form["client_assertion"].FirstOrDefault() is { Length: > 0 } assertion)
        {
            try
            {
                return new JsonWebToken(assertion).Issuer ?? string.Empty;
            }
            catch (ArgumentException)
            {
                return string.Empty;
            }
        }

        return string.Empty;
    }

    private static bool IsToken(HttpContext context, string tokenPath) => context.Request.Path.Equals(tokenPath, StringComparison.Ordinal);

    private static FixedWindowRateLimiterOptions Window(int permits, AuthOptions options) => new()
    {
        PermitLimit = permits,
        Window = options.RateLimit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
