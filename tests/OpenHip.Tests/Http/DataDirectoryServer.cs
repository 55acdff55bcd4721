using Microsoft.AspNetCore.Builder;
using OpenHip.Hosting;

namespace OpenHip.Tests.Http;

/// <summary>
/// A real server over a data directory the test owns, so it can be stopped and started again on the same data (restart
/// tests). Auth, terminology seeding and MPI linking are off unless <paramref name="settings"/> say otherwise.
/// </summary>
public sealed class DataDirectoryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DataDirectoryServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    /// <summary>Based at the server's FHIR root (relative URIs such as "Patient/1" resolve under it).</summary>
    public HttpClient Client { get; }

    public static async Task<DataDirectoryServer> StartAsync(string directory, IReadOnlyDictionary<string, string?> settings)
    {
        string root = $"http://127.0.0.1:{ServerFixture.FreePort()}";
        var all = new Dictionary<string, string?>
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = directory,
            ["Modules:Terminology:LoadCoreContent"] = "false",
            ["Modules:Terminology:LoadNationalContent"] = "false",
            ["Modules:Mpi:LinkOnWrite"] = "false",
            ["Security:Auth:Enabled"] = "false",
        };
        foreach ((string key, string? value) in settings)
        {
            all[key] = value;
        }

        WebApplication app = await OpenHipServer.BuildAsync(null, all, CancellationToken.None);
        await app.StartAsync();
        return new DataDirectoryServer(app, new HttpClient { BaseAddress = new Uri(root + "/fhir/") });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
