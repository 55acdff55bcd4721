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
    [InlineData(null, 0L, 1L)]
    [InlineData("1", 1L, 0L)]
    public async Task AuditPatientMergeAt_FromConfiguration_DecidesWhereAPatientKeyLands(string? mergeAt, long merged, long recent)
    {
        var settings = new Dictionary<string, string?>
        {
            [ServerOptions.DataDirectoryKey] = _directory,
            [ServerOptions.UrlsKey] = $"http://127.0.0.1:{ServerFixture.FreePort()}",
            ["Security:Auth:Enabled"] = "false",
        };
        if (mergeAt is not null)
        {
            settings["Storage:Sqlite:AuditPatientMergeAt"] = mergeAt;
        }

        WebApplication app = await OpenHipServer.BuildAsync(null, settings, CancellationToken.None);
        await using (app)
        {
            IFhirStore store = app.Services.GetRequiredService<IFhirStore>();
            var row = new AuditRow("chain-a", 1, DateTimeOffset.UtcNow, "dr-a", ["p1"], "{}"u8.ToArray(), new byte[32], new byte[32]);
            await ((IAuditLog)store).AppendAsync([row], CancellationToken.None);
            await Stores.DisposeAsync(store);
        }

        // An appended row goes with no FHIR data, so it is in the audit log's own file.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "openhip.audit.db")};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal((merged, recent), (await CountAsync(connection, "audit_patient"), await CountAsync(connection, "audit_patient_recent")));
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
