using System.Net.Sockets;
using System.Text;
using OpenHip.Tests.Durability;

namespace OpenHip.Tests.Hosting;

public sealed class ServeExitCodeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openhip-exit-").FullName;

    [Fact]
    public async Task ServeDemo_StoreHoldingOtherData_StopsWithExitCodeThree()
    {
        string data = Path.Combine(_root, "data");
        string folder = Directory.CreateDirectory(Path.Combine(_root, "ndjson")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "Patient.ndjson"), """{"resourceType":"Patient","id":"not-demo","gender":"female"}""" + "\n");
        (int imported, string importOutput) = await OpenHipProcess.RunAsync(_root, ["import", folder, "--data-dir", data], TimeSpan.FromMinutes(2));
        Assert.True(imported == 0, $"import exited with {imported}:{Environment.NewLine}{importOutput}");

        // The demo loader refuses the store and stops the host; the exit code is read after the host is gone.
        using OpenHipProcess server = OpenHipProcess.Serve(data, ["--demo"]);
        int exit = await server.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 3, $"serve --demo exited with {exit}:{Environment.NewLine}{server.RecentOutput}");
        Assert.DoesNotContain("Unhandled exception", server.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Sigterm_FinishesTheRequestInFlightAndExitsWithZero()
    {
        string data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        using OpenHipProcess server = await OpenHipProcess.StartAsync(data, TimeSpan.FromMinutes(2));
        var root = new Uri(server.Root);
        byte[] body = Encoding.UTF8.GetBytes("""{"resourceType":"Patient","gender":"female","birthDate":"1980-02-03"}""");
        string head = $"POST /fhir/Patient HTTP/1.1\r\nHost: {root.Authority}\r\nContent-Type: application/fhir+json\r\n" +
            $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        using var client = new TcpClient();
        await client.ConnectAsync(root.Host, root.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, 10));
        await stream.FlushAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        // The rest of the body comes after System.CommandLine's default 2 s grace: a server whose host never heard the
        // signal was ended then, before the request could finish.
        await server.TerminateAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stream.WriteAsync(body.AsMemory(10));
        await stream.FlushAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.StartsWith("HTTP/1.1 201", response, StringComparison.Ordinal);
        int exit = await server.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, $"serve exited with {exit} after SIGTERM:{Environment.NewLine}{server.RecentOutput}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
