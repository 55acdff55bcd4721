using System.Buffers;
using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Faults;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The bulk path: a batch of creates goes in with binary COPY into every table (versions, current rows, outbox,
/// compartments, index rows) in one transaction, with sequence numbers and row ids drawn beforehand so the index rows
/// can name their resource. Resources already stored are filtered out first, inside the transaction.
/// </summary>
internal sealed class BulkCopyLoader(NpgsqlDataSource dataSource, ParameterIds parameterIds, PlannerStatistics statistics, bool deferIndexes)
{
    private const string ExistingSql =
        "SELECT c.type, c.id FROM resource_current c JOIN unnest($1::text[], $2::text[]) AS k(type, id) ON c.type = k.type AND c.id = k.id";

    private const string SequencesSql = "SELECT nextval('resource_version_seq') FROM generate_series(1, $1)";
    private const string RowIdsSql = "SELECT nextval(pg_get_serial_sequence('resource_current', 'rid')) FROM generate_series(1, $1)";
    private const string ProgressSql = "INSERT INTO index_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    public async Task<int> LoadAsync(IReadOnlyList<ResourceWrite> creates, string progressKey, string progressValue, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await parameterIds.EnsureAsync(connection, ParameterKeys(creates), cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A batch and its progress commit together, so losing the last commits to a crash of the database server only
        // makes the next run load those batches again: the commit need not wait for its WAL flush. The load's end
        // (EndLoadAsync) commits synchronously, which flushes every earlier commit before the import reports success.
        await using (var asynchronous = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
        {
            await asynchronous.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        HashSet<ResourceKey> existing = await ExistingAsync(connection, creates, cancellationToken).ConfigureAwait(false);
        List<ResourceWrite> fresh = [.. creates.Where(w => existing.Add(w.Key))];
        if (fresh.Count > 0)
        {
            long[] seqs = await DrawAsync(connection, SequencesSql, fresh.Count, cancellationToken).ConfigureAwait(false);
            long[] rids = await DrawAsync(connection, RowIdsSql, fresh.Count, cancellationToken).ConfigureAwait(false);
            await Versions(fresh, seqs).CopyAsync(connection, cancellationToken).ConfigureAwait(false);
            await Current(fresh, seqs, rids).CopyAsync(connection, cancellationToken).ConfigureAwait(false);
            await Outbox(fresh, seqs).CopyAsync(connection, cancellationToken).ConfigureAwait(false);
            await Compartments(fresh).CopyAsync(connection, cancellationToken).ConfigureAwait(false);
            var index = new IndexCopyRows(parameterIds, fresh.Count);
            for (int i = 0; i < fresh.Count; i++)
            {
                index.Add(fresh[i].Type, rids[i], fresh[i].Index);
            }

            await index.CopyAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        await using (var progress = new NpgsqlCommand(ProgressSql, connection, transaction))
        {
            progress.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = progressKey });
            progress.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = progressValue });
            await progress.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        FaultInjection.Hit(FaultPoints.BulkBatch);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Count;
    }

    /// <summary>See <see cref="IBulkLoader.BeginLoadAsync"/>: defers the secondary indexes when the load outweighs the store.</summary>
    public Task BeginAsync(long bytes, CancellationToken cancellationToken) =>
        deferIndexes ? DeferredIndexes.DeferAsync(dataSource, bytes, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Builds the deferred indexes and refreshes the planner statistics once: a load counts no writes towards the
    /// background refreshes, whose repeated ANALYZE runs (at 1,000, 4,000, 16,000 and 64,000 resources) took 3.8 s of statement time in a
    /// 96,000-resource import (load ~13), statistics of tables still being filled.
    /// </summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DeferredIndexes.RestoreAsync(dataSource, ConnectionWorkers.EndOfLoad, resumeAutovacuum: false, cancellationToken).ConfigureAwait(false);
            await statistics.RefreshAsync(ConnectionWorkers.EndOfLoad, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DeferredIndexes.ResumeAutovacuumAsync(dataSource, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<HashSet<ResourceKey>> ExistingAsync(NpgsqlConnection connection, IReadOnlyList<ResourceWrite> creates, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ExistingSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. creates.Select(w => w.Type)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. creates.Select(w => w.Id)] });
        var existing = new HashSet<ResourceKey>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing.Add(new ResourceKey(reader.GetString(0), reader.GetString(1)));
        }

        return existing;
    }

    private static async Task<long[]> DrawAsync(NpgsqlConnection connection, string sql, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = count });
        var values = new long[count];
        int i = 0;
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values[i++] = reader.GetInt64(0);
        }

        return values;
    }

    // The distinct (type, code) keys of a batch's index rows, as IndexRow.Of names them (a composite's components
    // under code$component).
    private static HashSet<(string Type, string Code)> ParameterKeys(IReadOnlyList<ResourceWrite> creates)
    {
        var keys = new HashSet<(string Type, string Code)>();
        foreach (ResourceWrite write in creates)
        {
            foreach (IndexEntry entry in write.Index)
            {
                if (entry is CompositeIndexEntry composite)
                {
                    foreach (IndexEntry component in composite.Components)
                    {
                        keys.Add((write.Type, composite.Parameter + "$" + component.Parameter));
                    }
                }
                else
                {
                    keys.Add((write.Type, entry.Parameter));
                }
            }
        }

        return keys;
    }

    private static CopyBuffer Versions(List<ResourceWrite> writes, long[] seqs)
    {
        var copy = new CopyBuffer("resource_version", "seq, type, id, version, last_updated, method, deleted, source, json", writes.Sum(w => w.Json.Length + 128));
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            IBufferWriter<byte> row = copy.StartRow();
            BinaryCopyRows.WriteBigint(row, seqs[i]);
            BinaryCopyRows.WriteText(row, w.Type);
            BinaryCopyRows.WriteText(row, w.Id);
            BinaryCopyRows.WriteBigint(row, w.VersionId);
            BinaryCopyRows.WriteBigint(row, w.LastUpdated.ToUnixTimeMilliseconds());
            BinaryCopyRows.WriteSmallint(row, (short)w.Method);
            BinaryCopyRows.WriteSmallint(row, 0);
            BinaryCopyRows.WriteText(row, w.Source);
            BinaryCopyRows.WriteBytea(row, w.Json.Span);
        }

        return copy;
    }

    private static CopyBuffer Current(List<ResourceWrite> writes, long[] seqs, long[] rids)
    {
        var copy = new CopyBuffer("resource_current", "rid, type, id, seq, version, deleted, last_updated", writes.Count * 96);
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            IBufferWriter<byte> row = copy.StartRow();
            BinaryCopyRows.WriteBigint(row, rids[i]);
            BinaryCopyRows.WriteText(row, w.Type);
            BinaryCopyRows.WriteText(row, w.Id);
            BinaryCopyRows.WriteBigint(row, seqs[i]);
            BinaryCopyRows.WriteBigint(row, w.VersionId);
            BinaryCopyRows.WriteSmallint(row, 0);
            BinaryCopyRows.WriteBigint(row, w.LastUpdated.ToUnixTimeMilliseconds());
        }

        return copy;
    }

    private static CopyBuffer Outbox(List<ResourceWrite> writes, long[] seqs)
    {
        var copy = new CopyBuffer("outbox", "seq, type, id, version, method, last_updated", writes.Count * 96);
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            IBufferWriter<byte> row = copy.StartRow();
            BinaryCopyRows.WriteBigint(row, seqs[i]);
            BinaryCopyRows.WriteText(row, w.Type);
            BinaryCopyRows.WriteText(row, w.Id);
            BinaryCopyRows.WriteBigint(row, w.VersionId);
            BinaryCopyRows.WriteSmallint(row, (short)w.Method);
            BinaryCopyRows.WriteBigint(row, w.LastUpdated.ToUnixTimeMilliseconds());
        }

        return copy;
    }

    private static CopyBuffer Compartments(List<ResourceWrite> writes)
    {
        var copy = new CopyBuffer("compartment", "type, id, patient_id", writes.Count * 96);
        foreach (ResourceWrite w in writes)
        {
            IReadOnlyList<string> patients = w.Compartments;
            for (int i = 0; i < patients.Count; i++)
            {
                if (FirstOccurrence(patients, i))
                {
                    IBufferWriter<byte> row = copy.StartRow();
                    BinaryCopyRows.WriteText(row, w.Type);
                    BinaryCopyRows.WriteText(row, w.Id);
                    BinaryCopyRows.WriteText(row, patients[i]);
                }
            }
        }

        return copy;
    }

    // A resource names a handful of patients at most, so a scan beats a set per resource.
    private static bool FirstOccurrence(IReadOnlyList<string> values, int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(values[j], values[index], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
