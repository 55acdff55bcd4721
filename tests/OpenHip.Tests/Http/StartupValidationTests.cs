using Microsoft.Extensions.Options;
using OpenHip.Hosting;

namespace OpenHip.Tests.Http;

public sealed class StartupValidationTests
{
    private static Task<Microsoft.AspNetCore.Builder.WebApplication> BuildAsync(params (string Key, string Value)[] settings) =>
        OpenHipServer.BuildAsync(null, settings.ToDictionary(s => s.Key, s => (string?)s.Value), CancellationToken.None);

    [Fact]
    public async Task Build_NonLoopbackAddressWithAuthOff_RefusedWithReason()
    {
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAsync(("Server:Urls", "http://0.0.0.0:18999"), ("Security:Auth:Enabled", "false")));
        Assert.Contains(ex.Failures, f => f.Contains("loopback", StringComparison.Ordinal) && f.Contains("--no-auth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Server:AuthEnabled")]
    [InlineData("Security:Auth:Enabled")]
    public async Task Build_NoAuthOnAWildcardOrLanAddress_RefusedWhicheverKeySaysSo(string key)
    {
        OptionsValidationException wildcard = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAsync(("Server:Urls", "http://127.0.0.1:18998;http://[::]:18999"), (key, "false")));
        OptionsValidationException lan = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAsync(("Server:Urls", "http://192.0.2.10:18999"), (key, "false")));

        Assert.Contains(wildcard.Failures, f => f.Contains("'http://[::]:18999' is not a loopback address", StringComparison.Ordinal));
        Assert.DoesNotContain(wildcard.Failures, f => f.Contains("127.0.0.1", StringComparison.Ordinal) && f.Contains("'http://127.0.0.1:18998'", StringComparison.Ordinal));
        Assert.Contains(lan.Failures, f => f.Contains("--no-auth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Fhir:MaxBundleEntries", "0", "Fhir:MaxBundleEntries")]
    [InlineData("Fhir:TimeZone", "Mars/Olympus_Mons", "Fhir:TimeZone")]
    [InlineData("Api:MaxRequestBodyBytes", "10", "Api:MaxRequestBodyBytes")]
    [InlineData("Api:BaseUrl", "not a url", "Api:BaseUrl")]
    [InlineData("Server:Urls", "ftp://127.0.0.1:1", "Server:Urls")]
    [InlineData("Storage:Provider", "mysql", "Storage:Provider")]
    [InlineData("Storage:Provider", "postgres", "Storage:PostgreSql:ConnectionString")]
    [InlineData("Storage:Sqlite:AuditPatientRunsPerLevel", "1", "Storage:Sqlite:AuditPatientRunsPerLevel")]
    [InlineData("Storage:Sqlite:BusyTimeout", "-00:00:01", "Storage:Sqlite:BusyTimeout")]
    public async Task Build_InvalidSetting_FailureNamesTheSetting(string key, string value, string named)
    {
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAsync(
            ("Server:DataDirectory", Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("n"))), (key, value)));
        Assert.Contains(ex.Failures, f => f.StartsWith(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_PostgresWithUnparsableConnectionString_NamesTheSettingWithoutEchoingIt()
    {
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAsync(
            ("Storage:Provider", "postgres"), ("Storage:PostgreSql:ConnectionString", "Host=db;Pasword=s3cret")));

        string failure = Assert.Single(ex.Failures);
        Assert.StartsWith("Storage:PostgreSql:ConnectionString", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_UnknownProvider_ExitCode2()
    {
        int exitCode = await OpenHipServer.MigrateAsync(null, new Dictionary<string, string?> { ["Storage:Provider"] = "oracle" }, CancellationToken.None);

        Assert.Equal(2, exitCode);
    }
}
