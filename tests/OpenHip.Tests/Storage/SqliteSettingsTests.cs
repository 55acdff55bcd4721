using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage;
using OpenHip.Hosting;
using OpenHip.Tests.Http;

namespace OpenHip.Tests.Storage;

/// <summary>"Storage:Sqlite" settings reach the store the server opens.</summary>
public sealed class SqliteSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-sqlite-settings", Guid.NewGuid().ToString("n"));

    [Theory]
    [InlineData(null, 2L)]
    [InlineData("2", 1L)]
    public async Task AuditPatientRunsPerLevel_FromConfiguration_DecidesWhenRunsAreMerged(string? runsPerLevel, long runs)
    {
        var settings = new Dictionary<string, string?>
        {
            [ServerOptions.DataDirectoryKey] = _directory,
            [ServerOptions.UrlsKey] = $"http://127.0.0.1:{ServerFixture.FreePort()}",
            ["Security:Auth:Enabled"] = "false",
        };
        if (runsPerLevel is not null)
        {
            settings["Storage:Sqlite:AuditPatientRunsPerLevel"] = runsPerLevel;
        }

        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await using (app)
        {
            IFhirStore store = app.Services.GetRequiredService<IFhirStore>();

            // Two appends, two runs of one key each: two runs of level 0 are a full level when a level merges two.
            for (int seq = 1; seq <= 2; seq++)
            {
                var row = new AuditRow("chain-a", seq, DateTimeOffset.UtcNow, "dr-a", ["p" + seq], "{}"u8.ToArray(), new byte[32], new byte[32]);
                await ((IAuditLog)store).AppendAsync([row], CancellationToken.None);
            }

            await Stores.DisposeAsync(store);
        }

        // An appended row goes with no FHIR data, so it is in the audit log's own file.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "openhip.audit.db")};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal(runs, await CountAsync(connection, "audit_patient_hash_run"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory does not affect results.
        }
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string table)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
