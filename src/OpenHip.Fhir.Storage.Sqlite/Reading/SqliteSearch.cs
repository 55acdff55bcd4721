using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>Runs the statements of the shared search SQL builder on a pooled reader connection.</summary>
internal sealed class SqliteSearch(SqliteConnectionFactory connections, SearchSqlBuilder builder)
{
    public async Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

        // Page and total read one snapshot, so the total agrees with the page it travels with.
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
        var rows = new List<(StoredResource, long, object?[])>();
        if (query.Count > 0)
        {
            using SqliteCommand command = Command(connection, builder.BuildPage(query));
            using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sortValues = new object?[query.Sort.Count];
                for (int i = 0; i < sortValues.Length; i++)
                {
                    object value = reader.GetValue(SearchSqlBuilder.FirstSortOrdinal + i);
                    sortValues[i] = value is DBNull ? null : value;
                }

                rows.Add((VersionRow.Read(reader), reader.GetInt64(SearchSqlBuilder.RidOrdinal), sortValues));
            }
        }

        long? total = null;
        if (query.Total != TotalMode.None)
        {
            using SqliteCommand count = Command(connection, builder.BuildCount(query));
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return SearchSqlBuilder.ToPage(query, rows, total);
    }

    public async Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resources.Count == 0 || request.Limit <= 0)
        {
            return [];
        }

        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, builder.BuildInclude(request));
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var resources = new List<StoredResource>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            resources.Add(VersionRow.Read(reader));
        }

        return resources;
    }

    private static SqliteCommand Command(SqliteConnection connection, CompiledSql sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql.Text;
        foreach (KeyValuePair<string, object?> parameter in sql.Parameters)
        {
            command.Parameters.AddWithValue("@" + parameter.Key, parameter.Value ?? DBNull.Value);
        }

        return command;
    }
}
