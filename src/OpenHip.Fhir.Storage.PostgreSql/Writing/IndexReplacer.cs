using Npgsql;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// Rewrites the index rows of resources whose current version is still the one reindexed, in one transaction.
/// The current rows are locked first, so a write racing the reindex either lands before (and the replacement is
/// skipped) or waits until the new rows are in and then replaces them with its own.
/// </summary>
internal sealed class IndexReplacer(NpgsqlDataSource dataSource, ParameterIds parameterIds, int transientRetries)
{
    private const string LockSql =
        """
        SELECT k.i, c.rid
        FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS k(type, id, version, i)
        JOIN resource_current c ON c.type = k.type AND c.id = k.id
        WHERE c.version = k.version AND c.deleted = 0
        ORDER BY c.rid
        FOR UPDATE OF c
        """;

    public async Task<int> ReplaceAsync(IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken)
    {
        if (replacements.Count == 0)
        {
            return 0;
        }

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await parameterIds.EnsureAsync(connection, replacements.SelectMany(r => IndexRows.ParameterKeys(r.Key.Type, r.Index)), cancellationToken)
            .ConfigureAwait(false);
        return await Transient.RunAsync(transientRetries, () => ReplaceOnceAsync(connection, replacements, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<int> ReplaceOnceAsync(NpgsqlConnection connection, IReadOnlyList<IndexReplacement> replacements, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var current = new List<(int Index, long Rid)>();
        await using (var select = new NpgsqlCommand(LockSql, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. replacements.Select(r => r.Key.Type)] });
            select.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. replacements.Select(r => r.Key.Id)] });
            select.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = [.. replacements.Select(r => r.VersionId)] });
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                current.Add(((int)reader.GetInt64(0) - 1, reader.GetInt64(1)));
            }
        }

        if (current.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            IndexRows.AddDeletes(batch, [.. current.Select(c => c.Rid).Distinct()]);
            var rows = new IndexRows(parameterIds);
            // The same resource twice in one call: its last replacement wins, as if applied one after another.
            foreach ((int index, long rid) in current.GroupBy(c => c.Rid).Select(g => g.MaxBy(c => c.Index)))
            {
                rows.Add(replacements[index].Key.Type, rid, replacements[index].Index);
            }

            rows.AddInserts(batch);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current.Count;
    }
}
