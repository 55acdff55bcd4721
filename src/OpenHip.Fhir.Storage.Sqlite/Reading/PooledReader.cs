using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>An open reader connection and its prepared commands, by SQL text.</summary>
internal sealed class PooledReader(SqliteConnection connection) : IDisposable
{
    /// <summary>Prepared commands kept per connection; search SQL varies with the query's shape, so the set is bounded.</summary>
    private const int MaxPrepared = 64;

    public SqliteConnection Connection => connection;

    public Dictionary<string, SqliteCommand> Prepared { get; } = new(StringComparer.Ordinal);

    /// <summary>Drops the prepared commands once there are too many (between leases, when none is in use).</summary>
    public void Trim()
    {
        if (Prepared.Count > MaxPrepared)
        {
            DisposeCommands();
        }
    }

    public void Dispose()
    {
        DisposeCommands();
        connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (SqliteCommand command in Prepared.Values)
        {
            command.Dispose();
        }

        Prepared.Clear();
    }
}
