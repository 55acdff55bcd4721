using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Access;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.Authorization;
using OpenHip.Modules.Security.Features.Clients;
using OpenHip.Modules.Security.Features.Keys;
using OpenHip.Modules.Security.Features.Users;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>A real OpenHIP server with auth on, on a free loopback port, with its own data directory (or database).</summary>
public sealed class AuthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuthServer(WebApplication app, string root, string dataDirectory)
    {
        _app = app;
        Root = root;
        DataDirectory = dataDirectory;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(root + "/") };
    }

    /// <summary>The origin, which is also the issuer (with a trailing slash).</summary>
    public string Root { get; }

    public string Issuer => Root + "/";

    public string FhirBase => Root + "/fhir";

    public string TokenEndpoint => Root + "/auth/token";

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AuthServer> StartAsync(IReadOnlyDictionary<string, string?>? extra = null, string? dataDirectory = null)
    {
        string root = $"http://127.0.0.1:{FreePort()}";
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "openhip-auth-tests", Guid.NewGuid().ToString("n"));
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            [ServerOptions.UrlsKey] = root,
            [ServerOptions.DataDirectoryKey] = dataDirectory,
        };
        settings.TryAdd("Modules:Terminology:LoadCoreContent", "false");
        settings.TryAdd("Modules:Terminology:LoadNationalContent", "false");
        settings.TryAdd("Modules:Mpi:LinkOnWrite", "false");
        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await app.StartAsync();
        return new AuthServer(app, root, dataDirectory);
    }

    public async Task AddClientAsync(ClientRegistration client)
    {
        await using AsyncServiceScope scope = Services.CreateAsyncScope();
        string? problem = await scope.ServiceProvider.GetRequiredService<ClientAdministration>().AddAsync(client, CancellationToken.None);
        Assert.Null(problem);
    }

    public async Task AddUserAsync(UserRegistration user)
    {
        await using AsyncServiceScope scope = Services.CreateAsyncScope();
        string? problem = await scope.ServiceProvider.GetRequiredService<UserAdministration>().AddAsync(user, CancellationToken.None);
        Assert.Null(problem);
    }

    public KeyRing Keys => Services.GetRequiredService<KeyRing>();

    public AuthOptions Options => Services.GetRequiredService<AuthOptions>();

    public async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> PostTokenAsync(IEnumerable<KeyValuePair<string, string>> form, string? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(basic)));
        }

        HttpResponseMessage response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonObject? body = text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null;
        return (response.StatusCode, body, response);
    }

    /// <summary>GET a FHIR path with an optional bearer token; the status says whether the token was accepted.</summary>
    public async Task<HttpStatusCode> GetFhirAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirBase + "/" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
