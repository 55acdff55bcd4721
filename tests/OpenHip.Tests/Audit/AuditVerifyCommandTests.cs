using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using OpenHip.Hosting;
using OpenHip.Modules.Security.Features.Audit;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Audit;

/// <summary>`openhip audit verify` on a data directory written by a server with the audit log on: exit codes 0, 1, 2.</summary>
public sealed class AuditVerifyCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "openhip-audit-verify", Guid.NewGuid().ToString("n"));

    private string DataDirectory => Path.Combine(_root, "data");

    [Fact]
    public async Task Verify_LogWrittenByAServer_ExitsZero()
    {
        await ServeAndRecordAsync();

        (int exit, string output) = await VerifyAsync();

        Assert.Equal(0, exit);
        Assert.Contains("audit log intact", output, StringComparison.Ordinal);
        Assert.True(File.Exists(DataDirectory + ".audit-witness.jsonl"), "the witness lies next to the data directory");
    }

    // The create's audit record commits with the Patient in the database file; the reads' records are in the audit file.
    [Theory]
    [InlineData("openhip.db", 1)]
    [InlineData("openhip.audit.db", 1)]
    public async Task Verify_RecordModified_ExitsOneNamingTheRecord(string file, int sequence)
    {
        await ServeAndRecordAsync();
        string chain;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, file)};Mode=ReadWrite;Pooling=False"))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText =
                """
                DROP TRIGGER audit_log_no_update;
                UPDATE audit_log SET payload = CAST('{"v":1,"interaction":"read"}' AS BLOB)
                WHERE aid = (SELECT MIN(aid) FROM audit_log WHERE seq = $seq);
                SELECT chain_id FROM audit_log WHERE aid = (SELECT MIN(aid) FROM audit_log WHERE seq = $seq);
                """;
            command.Parameters.AddWithValue("$seq", sequence);
            chain = (string)(await command.ExecuteScalarAsync())!;
        }

        (int exit, string output) = await VerifyAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"modified chain={chain} seq={sequence} recorded=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoDatabase_ExitsTwo()
    {
        (int exit, _) = await VerifyAsync();

        Assert.Equal(2, exit);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }

    private Dictionary<string, string?> Settings() => new()
    {
        [ServerOptions.DataDirectoryKey] = DataDirectory,
        [ServerOptions.UrlsKey] = $"http://127.0.0.1:{ServerFixture.FreePort()}",
        ["Security:Auth:Enabled"] = "false",
        ["Modules:Terminology:LoadCoreContent"] = "false",
        ["Modules:Terminology:LoadNationalContent"] = "false",

        // One lane: every record in one chain, so the test knows which row is its seq 2.
        ["Security:Audit:Lanes"] = "1",
    };

    /// <summary>A server with the audit log on (auth off, so the log is added as the security module would), a few requests, a clean stop.</summary>
    private async Task ServeAndRecordAsync()
    {
        Dictionary<string, string?> settings = Settings();
        WebApplication app = await OpenHipServer.BuildAsync(null, settings, (services, configuration) => services.AddAuditLog(configuration), CancellationToken.None);
        await using (app)
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(settings[ServerOptions.UrlsKey] + "/fhir/") };
            using (HttpResponseMessage created = await client.PostAsync("Patient", new StringContent("""{"resourceType":"Patient","active":true}""", System.Text.Encoding.UTF8, "application/fhir+json")))
            {
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
                for (int i = 0; i < 3; i++)
                {
                    using HttpResponseMessage read = await client.GetAsync(created.Headers.Location);
                    Assert.Equal(System.Net.HttpStatusCode.OK, read.StatusCode);
                }
            }

            await app.StopAsync();
        }
    }

    private async Task<(int Exit, string Output)> VerifyAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Dictionary<string, string?> settings = Settings();
        int exit = await AuditVerification.RunAsync(null, settings, null, null, output, error, CancellationToken.None);
        return (exit, output + error.ToString());
    }
}
