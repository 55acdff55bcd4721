using OpenHip.Commands;

namespace OpenHip.Tests.Demo;

public sealed class DemoGenerateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task DemoGenerate_SameSeedTwice_WritesTheRegionByteForByte()
    {
        string first = Path.Combine(_root, "a");
        string second = Path.Combine(_root, "b");

        Assert.Equal(0, await OpenHipCli.Build().Parse(["demo", "generate", "--patients", "12", "--seed", "5", "--out", first]).InvokeAsync());
        Assert.Equal(0, await OpenHipCli.Build().Parse(["demo", "generate", "--patients", "12", "--seed", "5", "--out", second]).InvokeAsync());

        Assert.True(File.Exists(Path.Combine(first, "shared.json")));
        Assert.True(File.Exists(Path.Combine(first, "identity_clusters.csv")));
        Assert.True(File.Exists(Path.Combine(first, "outbreaks.csv")));
        string[] files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(12, files.Count(f => f.StartsWith("bundles", StringComparison.Ordinal)));
        foreach (string file in files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first, file)), await File.ReadAllBytesAsync(Path.Combine(second, file)));
        }
    }

    [Fact]
    public async Task DemoGenerate_WithoutOut_FailsWithUsageError()
    {
        Assert.NotEqual(0, await OpenHipCli.Build().Parse(["demo", "generate", "--patients", "3"]).InvokeAsync());
    }
}
