using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The HTTP witness: checkpoints POSTed to one allow-listed URL, and no other.</summary>
public sealed class AuditWitnessTests
{
    [Fact]
    public async Task HttpWitness_PostsTheSignedCheckpointLine()
    {
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/witness/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        Task<string> received = ReceiveOneAsync(listener);
        AuditCheckpoint checkpoint = AuditCheckpoint.Create(
            "node-h", 1, DateTimeOffset.UtcNow, null, AuditSigningKey.Generate(), [new LaneHead("node-h.c1", 3, new byte[32])], final: false);
        using var client = new HttpClient();

        await new HttpAuditWitness(client, new Uri(url)).AppendAsync(checkpoint, CancellationToken.None);

        AuditCheckpoint posted = AuditCheckpoint.ParseLine(await received);
        Assert.Equal(checkpoint.Body, posted.Body);
        Assert.True(posted.SignatureIsValid());
    }

    [Fact]
    public void WitnessUrl_NotAllowListed_FailsValidation()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:Audit:WitnessUrl"] = "https://witness.example/checkpoints",
            ["Security:Audit:AllowedWitnessUrls:0"] = "https://other.example/checkpoints",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddSingleton(configuration).AddAuditLog(configuration).BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuditLogOptions>>().Value);

        Assert.Contains("AllowedWitnessUrls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WitnessUrl_NotAllowListed_NoWitnessBuiltAndNoConnectionMade()
    {
        // A listener at the unlisted URL: any checkpoint POST (or even a connection) would be pending here.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Security:Audit:WitnessUrl"] = $"http://127.0.0.1:{port}/checkpoints",
                ["Security:Audit:AllowedWitnessUrls:0"] = "https://other.example/checkpoints",
            }).Build();
            using ServiceProvider services = new ServiceCollection().AddSingleton(configuration).AddAuditLog(configuration).BuildServiceProvider();

            Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IAuditWitness>());
            Assert.False(listener.Pending(), "a connection reached a witness URL that is not on the allow-list");
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<string> ReceiveOneAsync(HttpListener listener)
    {
        HttpListenerContext context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream);
        string body = await reader.ReadToEndAsync();
        context.Response.StatusCode = 204;
        context.Response.Close();
        return body;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
