using System.Data.Common;
using System.Runtime.CompilerServices;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.Relational.Reading;

/// <summary>
/// Every read of the store contract over the shared relational schema, for any store that supplies its
/// connections: single versions, history, search and includes, the streaming walk, the outbox and durable settings.
/// Only fixed fragments go into SQL text; every value is a parameter.
/// </summary>
public sealed class RelationalReader(IReaderConnections connections, ISqlDialect dialect, SearchSqlBuilder builder, int streamBatchSize)
{
    public async Task<StoredResource?> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        // The compartments come along (a primary-key lookup) so an access condition on them needs no parse of the JSON.
        string sql = $"SELECT {VersionRow.Columns}, (SELECT {dialect.SpaceSeparated("k.patient_id")} FROM compartment k WHERE k.type = c.type AND k.id = c.id) "
            + $"FROM resource_current c JOIN resource_version v ON v.seq = c.seq WHERE c.type = {P("type")} AND c.id = {P("id")}";
        StoredResource? current = null;
        await ReadAsync(new CompiledSql(sql, [new("type", type), new("id", id)]), reader =>
        {
            int column = VersionRow.SeqOrdinal + 1;
            current = VersionRow.Read(reader) with
            {
                Compartments = reader.IsDBNull(column) ? [] : reader.GetString(column).Split(' '),
            };
        }, cancellationToken).ConfigureAwait(false);
        return current;
    }

    public async Task<IReadOnlyList<string>> ReadPatientsOfAsync(IReadOnlyList<ResourceKey> resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var patients = new SortedSet<string>(StringComparer.Ordinal);

        // Chunked so a large page with its includes stays well under both databases' parameter limits.
        foreach (ResourceKey[] chunk in resources.Distinct().Chunk(PatientsOfChunk))
        {
            var values = new List<KeyValuePair<string, object?>>(chunk.Length * 2);
            var keys = new List<string>(chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
            {
                string type = "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string id = "i" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys.Add($"(k.type = {P(type)} AND k.id = {P(id)})");
                values.Add(new(type, chunk[i].Type));
                values.Add(new(id, chunk[i].Id));
            }

            string sql = $"SELECT DISTINCT k.patient_id FROM compartment k WHERE {string.Join(" OR ", keys)}";
            await ReadAsync(new CompiledSql(sql, [.. values]), reader => patients.Add(reader.GetString(0)), cancellationToken).ConfigureAwait(false);
        }

        return [.. patients];
    }

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken)
    {
        string sql = $"SELECT {VersionRow.Columns} FROM resource_version v WHERE v.type = {P("type")} AND v.id = {P("id")} AND v.version = {P("version")}";
        return await ReadSingleAsync(sql, [new("type", type), new("id", id), new("version", versionId)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredResource>> ReadVersionsAsync(IReadOnlyList<VersionKey> versions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            return [];
        }

        // The keys drive (an ordered join): each finds its row by the unique (type, id, version) index.
        VersionKey[] keys = [.. versions.Distinct()];
        (string from, KeyValuePair<string, object?>[] values) = dialect.VersionKeys(keys, "keys", "k");
        string sql = $"SELECT {VersionRow.Columns} FROM {from} {dialect.OrderedJoin} resource_version v "
            + "ON v.type = k.type AND v.id = k.id AND v.version = k.version";
        return await ReadAllAsync(new CompiledSql(sql, values), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>_history at system, type and instance level: newest first, keyset-paged on the global sequence.</summary>
    public async Task<HistoryPage> ReadHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Count, nameof(query));

        var filters = new List<string>(4);
        var values = new List<KeyValuePair<string, object?>>(5);
        void Filter(string condition, string name, object value)
        {
            filters.Add($"{condition} {P(name)}");
            values.Add(new(name, value));
        }

        if (query.Type is not null)
        {
            Filter("v.type =", "type", query.Type);
        }

        if (query.Id is not null)
        {
            Filter("v.id =", "id", query.Id);
        }

        if (query.Since is { } since)
        {
            Filter("v.last_updated >=", "since", since.ToUnixTimeMilliseconds());
        }

        if (builder.BuildHistoryAccess(query) is { } access)
        {
            filters.Add(access.Text);
            values.AddRange(access.Parameters);
        }

        string countSql = "SELECT COUNT(*) FROM resource_version v" + Where(filters);
        var countValues = values.ToList();
        if (query.Before is { } before)
        {
            Filter("v.seq <", "before", before);
        }

        // One row more than asked tells whether another page exists without a second query.
        values.Add(new("limit", (long)query.Count + 1));
        string pageSql = $"SELECT {VersionRow.Columns} FROM resource_version v{Where(filters)} ORDER BY v.seq DESC LIMIT {P("limit")}";

        IReaderLease lease = await connections.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            // One snapshot for both statements, so the total agrees with the page.
            DbTransaction snapshot = await connections.BeginSnapshotAsync(lease.Connection, cancellationToken).ConfigureAwait(false);
            await using (snapshot.ConfigureAwait(false))
            {
                long total = await CountAsync(lease, snapshot, new CompiledSql(countSql, countValues), cancellationToken).ConfigureAwait(false);
                var entries = new List<StoredResource>(Math.Min(query.Count, 1_000));
                long? nextBefore = null;
                if (query.Count > 0)
                {
                    DbCommand page = lease.Command(snapshot, new CompiledSql(pageSql, values));
                    DbDataReader reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
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
                }

                await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new HistoryPage(entries, nextBefore, total);
            }
        }
    }

    public async Task<IReadOnlyList<string>> FindByTokensAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        // Column 1 of a search row is the id (SearchSqlBuilder.ResourceColumns); the lookup may return one row too many.
        var ids = new List<string>(query.Limit);
        await ReadAsync(builder.BuildTokenLookup(query), reader =>
        {
            if (ids.Count < query.Limit)
            {
                ids.Add(reader.GetString(1));
            }
        }, cancellationToken).ConfigureAwait(false);
        return ids;
    }

    public async Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReaderLease lease = await connections.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            // Page and total read one snapshot, so the total agrees with the page it travels with; so do :below closure
            // states and the rows they vouch for.
            IReadOnlyList<ClosureLookup> lookups = ClosureStates.In(query.Filter);
            DbTransaction? snapshot = query.Total == TotalMode.None && lookups.Count == 0
                ? null
                : await connections.BeginSnapshotAsync(lease.Connection, cancellationToken).ConfigureAwait(false);
            try
            {
                Dictionary<ClosureLookup, bool>? closures = lookups.Count == 0
                    ? null
                    : await ReadClosureStatesAsync(lease, snapshot!, lookups, cancellationToken).ConfigureAwait(false);
                var rows = new List<(StoredResource, long, object?[])>();
                if (query.Count > 0)
                {
                    DbCommand command = lease.Command(snapshot, PagePerExecution(builder.BuildPage(query, closures)));
                    DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
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
                }

                long? total = query.Total == TotalMode.None
                    ? null
                    : await CountAsync(lease, snapshot!, PerExecution(builder.BuildCount(query, closures)), cancellationToken).ConfigureAwait(false);
                if (snapshot is not null)
                {
                    await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return SearchSqlBuilder.ToPage(query, rows, total);
            }
            finally
            {
                if (snapshot is not null)
                {
                    await snapshot.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    public async Task<IReadOnlyList<StoredResource>> IncludeAsync(IncludeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resources.Count == 0 || request.Limit <= 0)
        {
            return [];
        }

        return await ReadAllAsync(PagePerExecution(builder.BuildInclude(request)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keyset on (last_updated, id) so each batch is a fresh short query: no read transaction is held open while
    /// the caller works through the stream (it would stop SQLite's WAL checkpoints and PostgreSQL's vacuum).
    /// </summary>
    public async IAsyncEnumerable<StoredResource> StreamCurrentAsync(
        string type,
        DateTimeOffset? since,
        DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string sql = $"SELECT {VersionRow.Columns} FROM resource_current c JOIN resource_version v ON v.seq = c.seq "
            + $"WHERE c.type = {P("type")} AND c.deleted = 0 AND c.last_updated >= {P("since")} AND c.last_updated < {P("until")} "
            + $"AND (c.last_updated, c.id) > ({P("after_updated")}, {P("after_id")}) "
            + $"ORDER BY c.last_updated, c.id LIMIT {P("limit")}";
        long afterUpdated = long.MinValue;
        string afterId = string.Empty;
        while (true)
        {
            List<StoredResource> batch = await ReadAllAsync(
                new CompiledSql(sql, [
                    new("type", type),
                    new("since", since is { } s ? s.ToUnixTimeMilliseconds() : long.MinValue),
                    new("until", until is { } u ? u.ToUnixTimeMilliseconds() : long.MaxValue),
                    new("after_updated", afterUpdated),
                    new("after_id", afterId),
                    new("limit", (long)streamBatchSize),
                ]),
                cancellationToken).ConfigureAwait(false);
            foreach (StoredResource resource in batch)
            {
                yield return resource;
            }

            if (batch.Count < streamBatchSize)
            {
                yield break;
            }

            StoredResource last = batch[^1];
            afterUpdated = last.LastUpdated.ToUnixTimeMilliseconds();
            afterId = last.Id;
        }
    }

    /// <summary>Outbox events after a position (exclusive), in outbox order (<see cref="ISqlDialect.OutboxAfterSql"/>).</summary>
    public async Task<IReadOnlyList<OutboxEvent>> ReadOutboxAsync(OutboxPosition after, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        string sql = dialect.OutboxAfterSql(P("commit"), P("seq"), P("max"));
        var events = new List<OutboxEvent>(Math.Min(max, 1_000));
        await ReadAsync(new CompiledSql(sql, [new("commit", after.Commit), new("seq", after.Sequence), new("max", (long)max)]), reader =>
        {
            long seq = reader.GetInt64(0);
            events.Add(new OutboxEvent(
                seq,
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                (WriteMethod)reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)))
            {
                Position = new OutboxPosition(reader.GetInt64(6), seq),
            });
        }, cancellationToken).ConfigureAwait(false);
        return events;
    }

    public async Task<OutboxPosition> ReadOutboxHeadAsync(CancellationToken cancellationToken)
    {
        OutboxPosition head = OutboxPosition.Start;
        await ReadAsync(new CompiledSql(dialect.OutboxHeadSql, []), reader => head = new OutboxPosition(reader.GetInt64(0), reader.GetInt64(1)), cancellationToken)
            .ConfigureAwait(false);
        return head;
    }

    /// <summary>A consumer that never stored a position starts from the beginning.</summary>
    public async Task<OutboxPosition> ReadConsumerPositionAsync(string consumer, CancellationToken cancellationToken)
    {
        OutboxPosition position = OutboxPosition.Start;
        await ReadAsync(
            new CompiledSql(dialect.ConsumerPositionSql(P("consumer")), [new("consumer", consumer)]),
            reader => position = new OutboxPosition(reader.GetInt64(0), reader.GetInt64(1)),
            cancellationToken).ConfigureAwait(false);
        return position;
    }

    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken) =>
        await ScalarAsync(new CompiledSql($"SELECT value FROM index_state WHERE key = {P("key")}", [new("key", key)]), cancellationToken)
            .ConfigureAwait(false) as string;

    private const int PatientsOfChunk = 400;

    private string P(string name) => dialect.Parameter(name);

    // A search's best plan depends on its values (a code on 36,000 rows or on 12), so search statements are planned for
    // the values they carry, also once the provider keeps them prepared.
    private CompiledSql PerExecution(CompiledSql sql) => sql with { Text = dialect.PlannedPerExecution(sql.Text) };

    private CompiledSql PagePerExecution(CompiledSql sql) => sql with { Text = dialect.PagePlannedPerExecution(sql.Text) };

    private static string Where(List<string> filters) => filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);

    private async Task<StoredResource?> ReadSingleAsync(string sql, KeyValuePair<string, object?>[] values, CancellationToken cancellationToken)
    {
        List<StoredResource> rows = await ReadAllAsync(new CompiledSql(sql, values), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<List<StoredResource>> ReadAllAsync(CompiledSql sql, CancellationToken cancellationToken)
    {
        var rows = new List<StoredResource>();
        await ReadAsync(sql, reader => rows.Add(VersionRow.Read(reader)), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private async Task ReadAsync(CompiledSql sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        IReaderLease lease = await connections.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            DbDataReader reader = await lease.Command(null, sql).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row(reader);
                }
            }
        }
    }

    private async Task<object?> ScalarAsync(CompiledSql sql, CancellationToken cancellationToken)
    {
        IReaderLease lease = await connections.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            object? value = await lease.Command(null, sql).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    private async Task<Dictionary<ClosureLookup, bool>> ReadClosureStatesAsync(
        IReaderLease lease, DbTransaction snapshot, IReadOnlyList<ClosureLookup> lookups, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        DbDataReader reader = await lease.Command(snapshot, ClosureStates.Read(lookups, dialect)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                recorded[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return ClosureStates.Judge(lookups, recorded);
    }

    private static async Task<long> CountAsync(IReaderLease lease, DbTransaction transaction, CompiledSql sql, CancellationToken cancellationToken)
    {
        object? count = await lease.Command(transaction, sql).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture);
    }
}
