using System.Text;
using Npgsql;
using OpenHip.Testing;

namespace OpenHip.Modules.Security.Tests.FieldEncryption;

[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlFieldEncryptionTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-field-encryption-pg", Guid.NewGuid().ToString("n"));

    [SkippableFact]
    public async Task ProtectedValues_AbsentFromEveryTable_ExactSearchWorks()
    {
        string connection = await database.CreateSchemaAsync();
        Dictionary<string, string?> settings = EncryptedServer.SettingsFor(_directory, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:PostgreSql:ConnectionString"] = connection,
        });

        ProtectedPatient[] patients;
        await using (EncryptedServer server = await EncryptedServer.StartAsync(settings))
        {
            patients = await EncryptedScenario.WriteAndSearchAsync(server);
        }

        foreach (ProtectedPatient patient in patients)
        {
            Assert.True(await OccurrencesAsync(connection, patient.Family) > 0, "the scan must find unprotected text");
            foreach (string secret in patient.Secrets)
            {
                Assert.Equal(0, await OccurrencesAsync(connection, secret));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Rows of any table of the schema with the text in any column (bytea columns searched as bytes).</summary>
    private static async Task<long> OccurrencesAsync(string connectionString, string text)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        List<(string Table, string Column, string Type)> columns = [];
        await using (var list = new NpgsqlCommand(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2", connection))
        await using (NpgsqlDataReader reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.NotEmpty(columns);
        long total = 0;
        foreach ((string table, string column, string type) in columns)
        {
            string condition = type == "bytea" ? $"position(@b in \"{column}\") > 0" : $"\"{column}\"::text LIKE '%' || @t || '%'";
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE {condition}", connection);
            count.Parameters.AddWithValue("b", Encoding.UTF8.GetBytes(text));
            count.Parameters.AddWithValue("t", text);
            total += (long)(await count.ExecuteScalarAsync())!;
        }

        return total;
    }
}
