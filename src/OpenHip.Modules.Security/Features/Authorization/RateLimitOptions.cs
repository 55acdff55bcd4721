using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>Token endpoint limits ("Security:Auth:RateLimit"): fixed windows per client_id and per IP address.</summary>
public sealed class RateLimitOptions
{
    [Range(1, 1_000_000)]
    public int PerClient { get; set; } = 60;

    [Range(1, 1_000_000)]
    public int PerIp { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
