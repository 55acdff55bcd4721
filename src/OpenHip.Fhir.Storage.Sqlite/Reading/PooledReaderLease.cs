using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Reading;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>A pooled reader on loan: its commands are the connection's prepared ones, re-bound for each use.</summary>
internal sealed class PooledReaderLease(PooledReader reader, SqliteReaderPool pool) : IReaderLease
{
    // The same SQL twice in one lease (a statement whose reader may still be open) gets a command of its own.
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private List<SqliteCommand>? _oneOff;

    public DbConnection Connection => reader.Connection;

    public DbCommand Command(DbTransaction? transaction, CompiledSql sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        SqliteCommand? command;
        if (!_used.Add(sql.Text))
        {
            command = reader.Connection.CreateCommand();
            command.CommandText = sql.Text;
            (_oneOff ??= []).Add(command);
        }
        else if (!reader.Prepared.TryGetValue(sql.Text, out command))
        {
            command = reader.Connection.CreateCommand();
            command.CommandText = sql.Text;
            reader.Prepared[sql.Text] = command;
        }

        command.Transaction = (SqliteTransaction?)transaction;
        command.Parameters.Clear();
        foreach (KeyValuePair<string, object?> value in sql.Parameters)
        {
            command.Parameters.AddWithValue(value.Key, value.Value ?? DBNull.Value);
        }

        return command;
    }

    public ValueTask DisposeAsync()
    {
        if (_oneOff is not null)
        {
            foreach (SqliteCommand command in _oneOff)
            {
                command.Dispose();
            }
        }

        pool.Return(reader);
        return ValueTask.CompletedTask;
    }
}
