using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.FieldEncryption;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

/// <summary>A server with auth off (loopback) and field encryption on, over SQLite in its own directory or a given PostgreSQL schema.</summary>
internal sealed class EncryptedServer : IAsyncDisposable
{
    public const string Kek = "00112233445566778899aabbccddeeff";

    private readonly WebApplication _app;

    private EncryptedServer(WebApplication app, string root, Dictionary<string, string?> settings)
    {
        _app = app;
        Settings = settings;
        Client = new HttpClient { BaseAddress = new Uri(root + "/fhir/") };
    }

    public HttpClient Client { get; }

    public Dictionary<string, string?> Settings { get; }

    public IServiceProvider Services => _app.Services;

    public static Dictionary<string, string?> SettingsFor(string dataDirectory, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [ServerOptions.DataDirectoryKey] = dataDirectory,
            ["Security:Auth:Enabled"] = "false",
            [ServerOptions.AuthEnabledKey] = "false",
            ["Modules:Terminology:LoadCoreContent"] = "false",
            ["Modules:Terminology:LoadNationalContent"] = "false",
            [FieldEncryptionOptions.KekKey] = Kek,
            ["Security:FieldEncryption:Systems:0"] = "http://openhip.org/sid/cn-resident-id",
            ["Security:FieldEncryption:Systems:1"] = "http://openhip.org/sid/passport/",
            ["Security:FieldEncryption:Systems:2"] = "phone",
        };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<EncryptedServer> StartAsync(Dictionary<string, string?> settings)
    {
        string root = $"http://127.0.0.1:{FreePort()}";
        settings = new Dictionary<string, string?>(settings) { [ServerOptions.UrlsKey] = root };
        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await app.StartAsync();
        return new EncryptedServer(app, root, settings);
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonObject? body = null, string? ifNoneExist = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/fhir+json");
        }

        if (ifNoneExist is not null)
        {
            request.Headers.Add("If-None-Exist", ifNoneExist);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public async Task<int> CountAsync(string query)
    {
        (HttpStatusCode status, JsonObject bundle) = await SendAsync(HttpMethod.Get, query);
        Assert.Equal(HttpStatusCode.OK, status);
        return bundle["entry"]?.AsArray().Count ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
