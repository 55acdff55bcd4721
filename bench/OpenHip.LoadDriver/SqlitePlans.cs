using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.LoadDriver;

/// <summary>
/// SQLite's <c>EXPLAIN QUERY PLAN</c> on a read-only connection to the server's file: same SQLite library, same file,
/// same statistics, so the plan is the one the server's statement gets.
/// </summary>
internal sealed class SqlitePlans(string databasePath) : IStorePlans
{
    private readonly SqliteConnection _connection = DatabaseSize.ReadOnly(databasePath);

    public ISqlDialect Dialect => BenchSqlDialect.Instance;

    public DbConnection Connection => _connection;

    public string Describe() =>
        $"SQLite {Scalar("SELECT sqlite_version()")} (the library the server loads); planner statistics (sqlite_stat1): " +
        (Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") is 0L ? "none" : "present");

    public IReadOnlyList<string> Explain(CompiledSql sql, Func<string, string> sent)
    {
        List<string> lines = [];
        var depth = new Dictionary<long, int> { [0] = 0 };
        using DbCommand explain = DbCommands.Create(_connection, null, sql with { Text = sent("EXPLAIN QUERY PLAN " + sql.Text) });
        using DbDataReader reader = explain.ExecuteReader();
        while (reader.Read())
        {
            // Columns: id, parent, notused, detail; a row is a child of the row whose id is its parent.
            int level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
            depth[reader.GetInt64(0)] = level;
            lines.Add(new string(' ', 2 * (level - 1)) + reader.GetString(3));
        }

        return lines;
    }

    public void Dispose() => _connection.Dispose();

    private object? Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
