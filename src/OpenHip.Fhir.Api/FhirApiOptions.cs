using System.ComponentModel.DataAnnotations;

namespace OpenHip.Fhir.Api;

/// <summary>HTTP-edge limits and addressing, bound from the "Api" configuration section.</summary>
public sealed class FhirApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Public FHIR base URL used in Location, fullUrl and links, e.g. http://127.0.0.1:8080/fhir.</summary>
    [Required]
    [Url]
    public string BaseUrl { get; set; } = "http://127.0.0.1:8080/fhir";

    /// <summary>Largest request body accepted (bundles included); bigger bodies get 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Longest request target (path and query, as sent) accepted; longer ones get 400 before anything is parsed. Kestrel's
    /// own request-line limit is set above this (see the host), so the refusal is an OperationOutcome, not a bare 414.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>The path part of <see cref="BaseUrl"/>, where the FHIR endpoints are mapped.</summary>
    /// <remarks>Read on every request (access checks, audit), so the URL is parsed once per value of <see cref="BaseUrl"/>.</remarks>
    public string BasePath
    {
        get
        {
            ParsedBase? parsed = _parsedBase;
            if (parsed is null || !ReferenceEquals(parsed.Url, BaseUrl))
            {
                parsed = new ParsedBase(BaseUrl, new Uri(BaseUrl).AbsolutePath.TrimEnd('/'));
                _parsedBase = parsed;
            }

            return parsed.Path;
        }
    }

    private ParsedBase? _parsedBase;

    private sealed record ParsedBase(string Url, string Path);
}
