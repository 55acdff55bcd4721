using System.Data.Common;
using Npgsql;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>Statements and plans on a connection of its own, for the PostgreSQL plan tests.</summary>
internal static class PostgreSqlExplain
{
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The statement's plan as it ran, without costs and timings; <paramref name="settings"/> run first on the connection.</summary>
    public static async Task<string> AnalyzeAsync(string connectionString, CompiledSql sql, string? settings = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (settings is not null)
        {
            await using var set = new NpgsqlCommand(settings, connection);
            await set.ExecuteNonQueryAsync();
        }

        string explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ";
        await using DbCommand command = DbCommands.Create(connection, null, sql with { Text = explain + sql.Text });
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
