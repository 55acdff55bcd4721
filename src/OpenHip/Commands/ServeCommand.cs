using System.CommandLine;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip serve`: the FHIR server. Flags override OPENHIP__* environment variables, which override openhip.json.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the SQLite database lives (default ./data)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Public FHIR base URL (default <first url>/fhir)" };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./openhip.json)" };
        var noAuth = new Option<bool>("--no-auth") { Description = "Turn access control off (loopback development only)" };
        var demo = new Option<bool>("--demo") { Description = "Load the synthetic demo region into an empty store" };
        var command = new Command("serve", "Run the FHIR server") { urls, dataDir, baseUrl, config, noAuth, demo };
        command.SetAction(async (result, ct) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
            Put(overrides, ServerOptions.UrlsKey, result.GetValue(urls));
            Put(overrides, ServerOptions.DataDirectoryKey, result.GetValue(dataDir));
            Put(overrides, "Api:BaseUrl", result.GetValue(baseUrl));
            if (result.GetValue(demo))
            {
                overrides[ServerOptions.DemoKey] = "true";
            }

            if (result.GetValue(noAuth))
            {
                overrides[ServerOptions.AuthEnabledKey] = "false";
            }

            return await OpenHipServer.RunAsync(result.GetValue(config), overrides, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static void Put(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            overrides[key] = value;
        }
    }
}
