using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>_history at system, type and instance level: newest first, keyset-paged on the global sequence.</summary>
internal sealed class SqliteHistoryReader(SqliteConnectionFactory connections)
{
    public async Task<HistoryPage> ReadAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Count, nameof(query));

        // Only fixed fragments go into the SQL text; every value is a parameter.
        var filters = new List<string>(3);
        if (query.Type is not null)
        {
            filters.Add("v.type = @type");
        }

        if (query.Id is not null)
        {
            filters.Add("v.id = @id");
        }

        if (query.Since is not null)
        {
            filters.Add("v.last_updated >= @since");
        }

        string countSql = "SELECT COUNT(*) FROM resource_version v" + Where(filters);
        var pageFilters = new List<string>(filters);
        if (query.Before is not null)
        {
            pageFilters.Add("v.seq < @before");
        }

        string pageSql = $"SELECT {VersionRow.Columns} FROM resource_version v{Where(pageFilters)} ORDER BY v.seq DESC LIMIT @limit";

        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for both statements, so the total agrees with the page.
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);

        long total;
        using (SqliteCommand count = CreateCommand(connection, snapshot, countSql, query))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var entries = new List<StoredResource>(Math.Min(query.Count, 1_000));
        long? nextBefore = null;
        if (query.Count > 0)
        {
            using SqliteCommand page = CreateCommand(connection, snapshot, pageSql, query);

            // One row more than asked tells whether another page exists without a second query.
            page.Parameters.AddWithValue("@limit", (long)query.Count + 1);
            using SqliteDataReader reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            long lastSeq = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entries.Count == query.Count)
                {
                    nextBefore = lastSeq;
                    break;
                }

                entries.Add(VersionRow.Read(reader));
                lastSeq = reader.GetInt64(VersionRow.SeqOrdinal);
            }
        }

        return new HistoryPage(entries, nextBefore, total);
    }

    private static string Where(List<string> filters) =>
        filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);

    private static SqliteCommand CreateCommand(SqliteConnection connection, SqliteTransaction transaction, string sql, HistoryQuery query)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (query.Type is not null)
        {
            command.Parameters.AddWithValue("@type", query.Type);
        }

        if (query.Id is not null)
        {
            command.Parameters.AddWithValue("@id", query.Id);
        }

        if (query.Since is { } since)
        {
            command.Parameters.AddWithValue("@since", EpochMillis.From(since));
        }

        if (query.Before is { } before)
        {
            command.Parameters.AddWithValue("@before", before);
        }

        return command;
    }
}
