using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Tests;

/// <summary>A database file in its own temporary directory, removed with the directory at the end of the test.</summary>
public sealed class TempDatabase
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "openhip-sqlite-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "store.db");
    }

    public string Path { get; }

    public SqliteStoreOptions Options(int maxGroup = 256, int streamBatch = 500) =>
        new() { DatabasePath = Path, MaxChangesetsPerGroupCommit = maxGroup, StreamBatchSize = streamBatch };

    /// <summary>An unpooled side connection for looking at tables directly.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Count(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteConnection connection = OpenRaw();
        return Convert.ToInt64(Scalar(connection, sql, parameters), CultureInfo.InvariantCulture);
    }

    public static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    /// <summary>Removes the directory; call it after every connection to the file is closed.</summary>
    public void Delete() => Directory.Delete(_directory, recursive: true);
}
