using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace OpenHip.Modules.Security.Tests.Infrastructure;

/// <summary>A tiny Kestrel on 127.0.0.1 that serves JSON documents (JWKS, OpenID metadata) at fixed paths.</summary>
public sealed class JwksHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JwksHost(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public string Root { get; }

    public static async Task<JwksHost> StartAsync(IReadOnlyDictionary<string, Func<string>> documents)
    {
        string root = $"http://127.0.0.1:{AuthServer.FreePort()}";
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(root);
        WebApplication app = builder.Build();
        foreach ((string path, Func<string> document) in documents)
        {
            app.MapGet(path, () => Results.Text(document(), "application/json"));
        }

        await app.StartAsync();
        return new JwksHost(app, root);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
