using System.CommandLine;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>`openhip serve`: the FHIR server. Flags override OPENHIP__* environment variables, which override openhip.json.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var store = new StoreFlags();
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Public FHIR base URL (default <first url>/fhir)" };
        var noAuth = new Option<bool>("--no-auth") { Description = "Turn access control off (loopback development only)" };
        var demo = new Option<bool>("--demo") { Description = "Load the synthetic demo region into an empty store" };
        var command = new Command("serve", "Run the FHIR server") { urls, baseUrl, noAuth, demo };
        store.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            Dictionary<string, string?> overrides = store.Overrides(result);
            StoreFlags.Put(overrides, ServerOptions.UrlsKey, result.GetValue(urls));
            StoreFlags.Put(overrides, "Api:BaseUrl", result.GetValue(baseUrl));
            if (result.GetValue(demo))
            {
                overrides[ServerOptions.DemoKey] = "true";
            }

            if (result.GetValue(noAuth))
            {
                overrides[ServerOptions.AuthEnabledKey] = "false";
                overrides[Modules.Security.Features.Authorization.AuthOptions.EnabledKey] = "false";
            }

            return await OpenHipServer.RunAsync(result.GetValue(store.Config), overrides, ct).ConfigureAwait(false);
        });
        return command;
    }
}
