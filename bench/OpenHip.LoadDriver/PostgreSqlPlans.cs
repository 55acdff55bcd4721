using System.Data.Common;
using Npgsql;
using OpenHip.Fhir.Storage.PostgreSql.Schema;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.LoadDriver;

/// <summary>
/// PostgreSQL's <c>EXPLAIN (ANALYZE, BUFFERS)</c> for a statement with its values bound, on a connection to the
/// server's database. The connection auto-prepares statements as the store's does, so direct runs past the fifth
/// use a prepared statement, planned per execution as the server's search statements are.
/// </summary>
internal sealed class PostgreSqlPlans : IStorePlans
{
    private readonly NpgsqlConnection _connection;

    public PostgreSqlPlans(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        if (!settings.ContainsKey("Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 64;
        }

        _connection = new NpgsqlConnection(settings.ConnectionString);
        _connection.Open();
    }

    public ISqlDialect Dialect => PostgreSqlDialect.Instance;

    public DbConnection Connection => _connection;

    public string Describe() =>
        $"{Scalar("SELECT version()")}; settings: {Scalar("SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost', 'plan_cache_mode', 'jit')")}; " +
        $"ix_* tables last analyzed: {Scalar("SELECT coalesce(max(greatest(last_analyze, last_autoanalyze))::text, 'never') FROM pg_stat_user_tables WHERE relname LIKE 'ix\\_%'")}";

    public IReadOnlyList<string> Explain(CompiledSql sql, Func<string, string> sent)
    {
        List<string> lines = [];
        using DbCommand explain = DbCommands.Create(_connection, null, sql with { Text = sent("EXPLAIN (ANALYZE, BUFFERS) " + sql.Text) });
        using DbDataReader reader = explain.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    public void Dispose() => _connection.Dispose();

    private object? Scalar(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        return command.ExecuteScalar();
    }
}
