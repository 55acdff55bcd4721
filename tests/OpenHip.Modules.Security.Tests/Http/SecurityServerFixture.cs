using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.Policy;

namespace OpenHip.Modules.Security.Tests.Http;

/// <summary>A real OpenHIP server on a loopback port with the access policies on and the test authentication in front.</summary>
public class SecurityServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "openhip-security-tests", Guid.NewGuid().ToString("n"));

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string root = $"http://127.0.0.1:{port}";
        var settings = new Dictionary<string, string?>
        {
            ["Server:Urls"] = root,
            ["Server:DataDirectory"] = DataDirectory,
            ["Modules:Terminology:LoadCoreContent"] = "false",
            ["Modules:Terminology:LoadNationalContent"] = "false",
            ["Modules:Mpi:LinkOnWrite"] = "false",

            // Not the authorization server: the policies alone, behind a test login that turns a header into claims.
            ["Security:Auth:Enabled"] = "false",
        };
        _app = await OpenHipServer.BuildAsync(null, settings, (services, configuration) =>
        {
            ConfigureServices(services, configuration);
            services.AddSingleton<IStartupFilter, TestAuthentication>();
        }, CancellationToken.None);
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(root + "/fhir/") };
    }

    /// <summary>What the server gets besides the test login: the access policies here; other fixtures choose other parts.</summary>
    protected virtual void ConfigureServices(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        services.AddAccessPolicies(configuration);

    public async Task DisposeAsync()
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

            // The audit witness, when a fixture has the audit log on, lies next to the data directory.
            File.Delete(DataDirectory + ".audit-witness.jsonl");
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }

    /// <summary>A request as the caller with these claims (query-string syntax, e.g. <c>sub=u&amp;scope=user/*.rs</c>).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string claims, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TestAuthentication.Header, claims);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/fhir+json");
        }

        return await Client.SendAsync(request);
    }
}
