using System.Runtime.InteropServices;
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
        await parameterIds.EnsureAsync(connection, creates.SelectMany(w => IndexRows.ParameterKeys(w.Type, w.Index)), cancellationToken).ConfigureAwait(false);
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
            await CopyVersionsAsync(connection, fresh, seqs, cancellationToken).ConfigureAwait(false);
            await CopyCurrentAsync(connection, fresh, seqs, rids, cancellationToken).ConfigureAwait(false);
            await CopyOutboxAsync(connection, fresh, seqs, cancellationToken).ConfigureAwait(false);
            await CopyCompartmentsAsync(connection, fresh, cancellationToken).ConfigureAwait(false);
            var index = new IndexRows(parameterIds);
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
        await DeferredIndexes.RestoreAsync(dataSource, ConnectionWorkers.EndOfLoad, cancellationToken).ConfigureAwait(false);
        await statistics.RefreshAsync(ConnectionWorkers.EndOfLoad, cancellationToken).ConfigureAwait(false);
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

    private static async Task CopyVersionsAsync(NpgsqlConnection connection, List<ResourceWrite> writes, long[] seqs, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
            "COPY resource_version (seq, type, id, version, last_updated, method, deleted, source, json) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(seqs[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.VersionId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.LastUpdated.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)w.Method, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)0, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await (w.Source is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(w.Source, NpgsqlDbType.Text, cancellationToken)).ConfigureAwait(false);
            await copy.WriteAsync(Bytes(w.Json), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyCurrentAsync(NpgsqlConnection connection, List<ResourceWrite> writes, long[] seqs, long[] rids, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
            "COPY resource_current (rid, type, id, seq, version, deleted, last_updated) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(rids[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(seqs[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.VersionId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)0, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.LastUpdated.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyOutboxAsync(NpgsqlConnection connection, List<ResourceWrite> writes, long[] seqs, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
            "COPY outbox (seq, type, id, version, method, last_updated) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < writes.Count; i++)
        {
            ResourceWrite w = writes[i];
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(seqs[i], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.VersionId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)w.Method, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(w.LastUpdated.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyCompartmentsAsync(NpgsqlConnection connection, List<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
            "COPY compartment (type, id, patient_id) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (ResourceWrite w in writes)
        {
            foreach (string patientId in w.Compartments.Distinct(StringComparer.Ordinal))
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(w.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(w.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(patientId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Bytes(ReadOnlyMemory<byte> json) =>
        MemoryMarshal.TryGetArray(json, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : json.ToArray();
}
