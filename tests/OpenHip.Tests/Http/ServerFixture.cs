using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenHip.Hosting;

namespace OpenHip.Tests.Http;

/// <summary>A real OpenHIP server on a free loopback port with its own temporary SQLite database.</summary>
public class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The running server's services: suites that drive the engine directly (access policies) use the same composition.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is not started");

    /// <summary>Settings a derived fixture adds to the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public const long MaxBodyBytes = 4 * 1024 * 1024;

    public const int MaxBundleEntries = 3000;

    public virtual async Task InitializeAsync()
    {
        int port = FreePort();
        string root = $"http://127.0.0.1:{port}";
        BaseUrl = root + "/fhir";
        var settings = new Dictionary<string, string?>(ExtraSettings)
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = DataDirectory,
            ["Api:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fhir:MaxBundleEntries"] = MaxBundleEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Shipped terminology costs seconds on a new store and adds thousands of history entries; suites that need it opt in.
        settings.TryAdd("Modules:Terminology:LoadCoreContent", "false");

        // These suites test the FHIR API itself; the security module's tests start servers with auth on.
        settings.TryAdd("Security:Auth:Enabled", "false");
        settings.TryAdd("Modules:Terminology:LoadNationalContent", "false");

        // The MPI's golden Persons and review Tasks would change the version counts that tests of other features
        // assert on; fixtures of MPI tests switch linking back on.
        settings.TryAdd("Modules:Mpi:LinkOnWrite", "false");

        // Surveillance writes cases and counts for every notifiable diagnosis; its own suites switch it on.
        settings.TryAdd("Modules:Surveillance:DetectCases", "false");
        _app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }

    /// <summary>How many versions the server holds in all: the witness that a failed request wrote nothing.</summary>
    public async Task<long> VersionCountAsync()
    {
        using HttpResponseMessage response = await Client.GetAsync("_history?_count=1");
        response.EnsureSuccessStatusCode();
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["total"]!.GetValue<long>();
    }

    public static StringContent Json(string json, string mediaType = "application/fhir+json") => new(json, Encoding.UTF8, mediaType);

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
