using System.ComponentModel.DataAnnotations;

namespace OpenHip.Hosting;

/// <summary>Where the server listens and keeps its data, and whether access control is on ("Server" section).</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";
    public const string UrlsKey = "Server:Urls";
    public const string DataDirectoryKey = "Server:DataDirectory";
    public const string AuthEnabledKey = "Server:AuthEnabled";
    public const string DemoKey = "Server:Demo";

    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>On by default (also Security:Auth:Enabled). Off (<c>--no-auth</c>) means every caller is unrestricted, so the server then refuses non-loopback addresses.</summary>
    public bool AuthEnabled { get; set; } = true;

    /// <summary>Console log format: readable text, or one compact JSON object per event for log shippers.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>Load the synthetic demo region into an empty store at start (`serve --demo`).</summary>
    public bool Demo { get; set; }

    [Range(1, 100_000)]
    public int DemoPatients { get; set; } = 500;

    public IEnumerable<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
