using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>Reads of single versions and the streaming walk over current resources.</summary>
internal sealed class SqliteResourceReader(SqliteConnectionFactory connections, int streamBatchSize)
{
    private const string CurrentSql =
        $"""
        SELECT {VersionRow.Columns}
        FROM resource_current c JOIN resource_version v ON v.seq = c.seq
        WHERE c.type = @type AND c.id = @id
        """;

    private const string VersionSql =
        $"""
        SELECT {VersionRow.Columns}
        FROM resource_version v
        WHERE v.type = @type AND v.id = @id AND v.version = @version
        """;

    // Keyset on (last_updated, id) so each batch is a fresh short query: no read transaction is held open while
    // the caller works through the stream, which would stop WAL checkpoints.
    private const string StreamSql =
        $"""
        SELECT {VersionRow.Columns}
        FROM resource_current c JOIN resource_version v ON v.seq = c.seq
        WHERE c.type = @type AND c.deleted = 0
          AND c.last_updated >= @since AND c.last_updated < @until
          AND (c.last_updated, c.id) > (@after_updated, @after_id)
        ORDER BY c.last_updated, c.id
        LIMIT @limit
        """;

    public async Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = CurrentSql;
        command.Parameters.AddWithValue("@type", type);
        command.Parameters.AddWithValue("@id", id);
        return await ReadSingleAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = VersionSql;
        command.Parameters.AddWithValue("@type", type);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@version", versionId);
        return await ReadSingleAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredResource> StreamCurrentAsync(
        string type,
        DateTimeOffset? since,
        DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long afterUpdated = long.MinValue;
        string afterId = string.Empty;
        while (true)
        {
            List<StoredResource> batch = await ReadStreamBatchAsync(type, since, until, afterUpdated, afterId, cancellationToken)
                .ConfigureAwait(false);
            foreach (StoredResource resource in batch)
            {
                yield return resource;
            }

            if (batch.Count < streamBatchSize)
            {
                yield break;
            }

            StoredResource last = batch[^1];
            afterUpdated = EpochMillis.From(last.LastUpdated);
            afterId = last.Id;
        }
    }

    private async Task<List<StoredResource>> ReadStreamBatchAsync(
        string type,
        DateTimeOffset? since,
        DateTimeOffset? until,
        long afterUpdated,
        string afterId,
        CancellationToken cancellationToken)
    {
        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = StreamSql;
        command.Parameters.AddWithValue("@type", type);
        command.Parameters.AddWithValue("@since", since is { } s ? EpochMillis.From(s) : long.MinValue);
        command.Parameters.AddWithValue("@until", until is { } u ? EpochMillis.From(u) : long.MaxValue);
        command.Parameters.AddWithValue("@after_updated", afterUpdated);
        command.Parameters.AddWithValue("@after_id", afterId);
        command.Parameters.AddWithValue("@limit", streamBatchSize);

        var batch = new List<StoredResource>(streamBatchSize);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(VersionRow.Read(reader));
        }

        return batch;
    }

    private static async Task<StoredResource?> ReadSingleAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? VersionRow.Read(reader) : null;
    }
}
