using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.Authorization;

/// <summary>The authorization server and token validation ("Security:Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Security:Auth";
    public const string EnabledKey = "Security:Auth:Enabled";

    /// <summary>On by default; <c>serve --no-auth</c> turns it off (and then the server listens on loopback only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The issuer (default: the origin of the FHIR base URL). Must be the address clients reach.</summary>
    public string? Issuer { get; set; }

    /// <summary>The FHIR base URL: the audience of every access token. Set by the composition root from Api:BaseUrl.</summary>
    public string FhirBaseUrl { get; set; } = "http://127.0.0.1:8080/fhir";

    /// <summary>The FHIR base path (for the SMART discovery route). Set by the composition root from Api:BasePath.</summary>
    public string FhirBasePath { get; set; } = "/fhir";

    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Longest accepted lifetime of a client assertion (SMART Backend Services: 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:05:00")]
    public TimeSpan MaxAssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock skew accepted on bearer tokens and assertions.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Signing algorithm of new keys: RS256 or ES256.</summary>
    [RegularExpression("^(RS256|ES256)$")]
    public string SigningAlgorithm { get; set; } = "RS256";

    /// <summary>JWKS URLs (prefixes) that backend clients may register; any other URL is refused.</summary>
    public List<string> JwksUrlAllowList { get; set; } = [];

    /// <summary>Refuse plain-HTTP requests to the authorization endpoints (off: TLS usually ends at a proxy).</summary>
    public bool RequireHttps { get; set; }

    /// <summary>Validated tokens kept in memory until they expire (the amortised validation cache).</summary>
    [Range(0, 10_000_000)]
    public int ValidationCacheSize { get; set; } = 100_000;

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>OpenID Connect providers trusted beside (or instead of) the built-in server.</summary>
    public List<ExternalIssuerOptions> ExternalIssuers { get; set; } = [];

    /// <summary>Demo session (serve --demo): how long the printed development token stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DemoTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Set by the composition root for <c>serve --demo</c>: seed a development client and print a token.</summary>
    public bool Demo { get; set; }

    public string ResolvedIssuer => (Issuer ?? new Uri(FhirBaseUrl).GetLeftPart(UriPartial.Authority)).TrimEnd('/') + "/";
}
