using Microsoft.Extensions.DependencyInjection;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.Crypto;

namespace OpenHip.Modules.Security.Tests.Crypto;

public sealed class CryptoSelfTestTests
{
    [Fact]
    public void StartUpTests_AllPass()
    {
        foreach (KnownAnswerTest test in KnownAnswerTests.StartUp)
        {
            Assert.True(test.Passes(), test.Name);
        }
    }

    [Fact]
    public void Run_OneTestFails_ThrowsNamingIt()
    {
        var selfTest = new CryptoSelfTest([.. KnownAnswerTests.StartUp, new KnownAnswerTest("SM4-GCM (injected fault)", () => false)]);

        CryptoStartupException ex = Assert.Throws<CryptoStartupException>(selfTest.Run);

        Assert.Contains("SM4-GCM (injected fault)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to start", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RFC 8998 A.1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TestThrows_CountsAsFailure()
    {
        var selfTest = new CryptoSelfTest([new KnownAnswerTest("SM3 (throws)", () => throw new InvalidOperationException("broken provider"))]);

        Assert.Contains("SM3 (throws)", Assert.Throws<CryptoStartupException>(selfTest.Run).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_FailingKnownAnswerTest_RefusesToStart()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "openhip-crypto-tests", Guid.NewGuid().ToString("n"));
        var settings = new Dictionary<string, string?>
        {
            [ServerOptions.UrlsKey] = "http://127.0.0.1:18997",
            [ServerOptions.DataDirectoryKey] = dataDirectory,
            ["Security:Auth:Enabled"] = "false",
            ["Modules:Terminology:LoadCoreContent"] = "false",
            ["Modules:Terminology:LoadNationalContent"] = "false",
        };

        CryptoStartupException ex = await Assert.ThrowsAsync<CryptoStartupException>(() => OpenHipServer.BuildAsync(
            null,
            settings,
            (services, _) => services.AddSingleton(new KnownAnswerTest("SM2 sign/verify (injected fault)", () => false)),
            CancellationToken.None));

        Assert.Contains("SM2 sign/verify (injected fault)", ex.Message, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
