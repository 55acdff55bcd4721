using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>Outbox events and consumer positions. Positions are written by the group-commit writer.</summary>
internal sealed class SqliteOutboxReader(SqliteConnectionFactory connections)
{
    private const string OutboxSql =
        """
        SELECT seq, type, id, version, method, last_updated
        FROM outbox
        WHERE seq > @after
        ORDER BY seq
        LIMIT @max
        """;

    private const string PositionSql = "SELECT position FROM consumer_position WHERE consumer = @consumer";

    public async Task<IReadOnlyList<OutboxEvent>> ReadAsync(long after, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = OutboxSql;
        command.Parameters.AddWithValue("@after", after);
        command.Parameters.AddWithValue("@max", max);

        var events = new List<OutboxEvent>(Math.Min(max, 1_000));
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new OutboxEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                (WriteMethod)reader.GetInt64(4),
                EpochMillis.To(reader.GetInt64(5))));
        }

        return events;
    }

    /// <summary>A consumer that never stored a position starts from the beginning (0).</summary>
    public async Task<long> GetPositionAsync(string consumer, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = PositionSql;
        command.Parameters.AddWithValue("@consumer", consumer);
        object? position = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return position is null ? 0 : (long)position;
    }
}
