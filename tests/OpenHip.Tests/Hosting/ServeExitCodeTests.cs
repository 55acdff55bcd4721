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

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
