using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenHip.Tests.Subscriptions;

/// <summary>A real HTTP endpoint on loopback that records every notification and answers with the status it is told to.</summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HookReceiver(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The endpoint to subscribe with (ends in /hook).</summary>
    public string Root { get; }

    public string Endpoint => Root + "/hook";

    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Received { get; } = new();

    /// <summary>What the endpoint answers (requests that arrive are recorded whatever it answers).</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public static async Task<HookReceiver> StartAsync()
    {
        string root = $"http://127.0.0.1:{Http.ServerFixture.FreePort()}";
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(root);
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new HookReceiver(app, root);
        app.Map("/hook/{**rest}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue((context.Request.Method, context.Request.Path.Value ?? string.Empty, body, context.Request.Headers.Authorization.FirstOrDefault()));
            context.Response.StatusCode = (int)receiver.Answer;
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
