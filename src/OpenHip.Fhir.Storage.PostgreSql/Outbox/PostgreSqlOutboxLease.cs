using Npgsql;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Outbox;

/// <summary>
/// A consumer's lease across nodes: a session advisory lock held on a dedicated connection. No transaction stays open
/// while the consumer works (that would hold back every reader's settled outbox horizon), and when a node dies its
/// connection closes, the lock goes with it, and another node's next attempt takes over from the stored position.
/// </summary>
internal sealed class PostgreSqlOutboxLease : IOutboxLease
{
    // Advisory keys are shared with the migration lock and the create guards; the prefix keeps consumers apart.
    private const string LockSql = "SELECT pg_try_advisory_lock(hashtextextended('openhip-outbox-consumer:' || $1, 0))";
    private const string UnlockSql = "SELECT pg_advisory_unlock(hashtextextended('openhip-outbox-consumer:' || $1, 0))";
    private const string ReadSql = "SELECT commit_xid, position FROM consumer_position WHERE consumer = $1";
    private const string AdvanceSql =
        """
        INSERT INTO consumer_position (consumer, position, commit_xid) VALUES ($1, $2, $3)
        ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, commit_xid = excluded.commit_xid
        """;

    private readonly NpgsqlConnection _connection;
    private int _released;

    private PostgreSqlOutboxLease(NpgsqlConnection connection, string consumer, OutboxPosition position)
    {
        _connection = connection;
        Consumer = consumer;
        Position = position;
    }

    public string Consumer { get; }

    public OutboxPosition Position { get; private set; }

    public static async Task<PostgreSqlOutboxLease?> TryTakeAsync(NpgsqlDataSource dataSource, string consumer, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await ScalarAsync(connection, LockSql, consumer, cancellationToken).ConfigureAwait(false) is not true)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            OutboxPosition position = OutboxPosition.Start;
            await using (NpgsqlCommand read = Command(connection, ReadSql, consumer))
            {
                await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    position = new OutboxPosition(reader.GetInt64(0), reader.GetInt64(1));
                }
            }

            return new PostgreSqlOutboxLease(connection, consumer, position);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task AdvanceAsync(OutboxPosition position, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        await using NpgsqlCommand command = Command(_connection, AdvanceSql, Consumer);
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = position.Sequence });
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = position.Commit });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Position = position;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                await ScalarAsync(_connection, UnlockSql, Consumer, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // A broken connection has lost the lock already; closing it below is all that is left to do.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string consumer)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = consumer });
        return command;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, string consumer, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = Command(connection, sql, consumer);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
