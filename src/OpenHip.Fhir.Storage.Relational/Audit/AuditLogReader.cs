using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Storage.Relational.Reading;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>
/// Every read of the audit log over the shared schema (<c>audit_log</c> and <c>audit_block</c>, <c>audit_patient</c> with
/// <c>audit_patient_recent</c>, <c>audit_checkpoint</c>).
/// Lookups by patient, agent and time use those tables' indexes; pages are keyset-paged on (recorded, aid), either way.
/// Events kept in blocks (<see cref="AuditBlock"/>) are unpacked and merged with the rows in the same order, so callers
/// see one log.
/// </summary>
/// <param name="patientKeys">
/// A subquery of every patient key (<c>patient_id, recorded, aid</c>) where the store keeps them; by default
/// <see cref="PatientKeysOfOneIndex"/>.
/// </param>
/// <param name="patientPages">Whether the store also keeps patient keys in pages (<see cref="HashedKeyPage"/>, and the older <see cref="AuditKeyPage"/>).</param>
public sealed partial class AuditLogReader(
    IReaderConnections connections, ISqlDialect dialect, int streamBatchSize, string patientKeys = AuditLogReader.PatientKeysOfOneIndex, bool patientPages = false)
    : IAuditLogReads
{
    /// <summary>The keys in the index, and any still gathered for its next merge (<c>audit_patient_recent</c>).</summary>
    public const string PatientKeysOfOneIndex =
        "(SELECT patient_id, recorded, aid FROM audit_patient UNION ALL SELECT patient_id, recorded, aid FROM audit_patient_recent)";

    private const string Columns = "l.aid, l.chain_id, l.seq, l.recorded, l.agent, l.payload, l.hash, l.prev_hash";

    public async Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredAuditRow> rows = await QueryAsync(
            $"SELECT {Columns} FROM audit_log l WHERE l.aid = {P("aid")}", [new("aid", id)], cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            return rows[0];
        }

        IReadOnlyList<StoredAuditRow> block = await BlockContainingAsync(id, cancellationToken).ConfigureAwait(false);
        return block.FirstOrDefault(r => r.Id == id);
    }

    public async Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Count, 1, nameof(query));
        (long Recorded, long Aid)? after = query.After is { } cursor ? DecodeCursor(cursor) : null;

        // One row more than asked tells whether another page exists.
        int wanted = query.Count + 1;
        List<StoredAuditRow> rows = query.Patient is { } patient
            ? await ByPatientAsync(patient, query, after, wanted, cancellationToken).ConfigureAwait(false)
            : await ByTimeAsync(query, after, wanted, cancellationToken).ConfigureAwait(false);
        if (rows.Count <= query.Count)
        {
            return new AuditPage(rows, null);
        }

        StoredAuditRow last = rows[query.Count - 1];
        return new AuditPage([.. rows.Take(query.Count)], EncodeCursor(last.Row.Recorded.ToUnixTimeMilliseconds(), last.Id));
    }

    /// <summary>
    /// Walks the patient's keys in (recorded, aid) order, those of <paramref name="patientKeys"/> and, where the store
    /// keeps them, those in pages; each key's event is then read from its row or its block. An agent filter and
    /// <see cref="AuditQuery.NamesPatient"/> can only be applied to an event once it is read, so the walk goes on until enough pass.
    /// </summary>
    private async Task<List<StoredAuditRow>> ByPatientAsync(
        string patient, AuditQuery query, (long Recorded, long Aid)? after, int wanted, CancellationToken cancellationToken)
    {
        List<(long Recorded, long Aid)> paged = patientPages ? await PagedKeysAsync(patient, cancellationToken).ConfigureAwait(false) : [];
        long? from = query.From?.ToUnixTimeMilliseconds();
        long? until = query.Until?.ToUnixTimeMilliseconds();
        var found = new List<StoredAuditRow>();
        while (true)
        {
            var filters = new List<string> { $"x.patient_id = {P("patient")}" };
            var values = new List<KeyValuePair<string, object?>> { new("patient", patient) };
            TimeFilters("x", query, after, filters, values);
            values.Add(new("limit", (long)wanted));
            string order = query.NewestFirst ? "x.recorded DESC, x.aid DESC" : "x.recorded, x.aid";
            string sql = $"SELECT x.recorded, x.aid FROM {patientKeys} x WHERE {string.Join(" AND ", filters)} ORDER BY {order} LIMIT {P("limit")}";
            var keys = new List<(long Recorded, long Aid)>();
            await ReadAsync(sql, values, reader => keys.Add((reader.GetInt64(0), reader.GetInt64(1))), cancellationToken).ConfigureAwait(false);

            // The first keys after the cursor are among the first of each source.
            foreach ((long recorded, long aid) in paged)
            {
                if ((from is null || recorded >= from) && (until is null || recorded < until)
                    && (after is not { } a || query.Compare(recorded, aid, a.Recorded, a.Aid) > 0))
                {
                    keys.Add((recorded, aid));
                }
            }

            keys.Sort((a, b) => query.Compare(a.Recorded, a.Aid, b.Recorded, b.Aid));
            if (keys.Count > wanted)
            {
                keys.RemoveRange(wanted, keys.Count - wanted);
            }

            IReadOnlyDictionary<long, StoredAuditRow> events = await ResolveAsync([.. keys.Select(k => k.Aid)], cancellationToken).ConfigureAwait(false);
            foreach ((long _, long aid) in keys)
            {
                if (events.GetValueOrDefault(aid) is { } stored && (query.Agent is null || stored.Row.Agent == query.Agent)
                    && (query.NamesPatient is null || query.NamesPatient(stored)) && found.Count < wanted)
                {
                    found.Add(stored);
                }
            }

            if (found.Count >= wanted || keys.Count < wanted)
            {
                return found;
            }

            after = keys[^1];
        }
    }

    /// <summary>The events with these ids, from their rows or their blocks.</summary>
    private async Task<IReadOnlyDictionary<long, StoredAuditRow>> ResolveAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var events = new Dictionary<long, StoredAuditRow>();
        if (ids.Count == 0)
        {
            return events;
        }

        var values = new List<KeyValuePair<string, object?>>();
        string list = string.Join(", ", ids.Distinct().Select((id, i) =>
        {
            values.Add(new("i" + i.ToString(CultureInfo.InvariantCulture), id));
            return P("i" + i.ToString(CultureInfo.InvariantCulture));
        }));
        foreach (StoredAuditRow row in await QueryAsync($"SELECT {Columns} FROM audit_log l WHERE l.aid IN ({list})", values, cancellationToken).ConfigureAwait(false))
        {
            events[row.Id] = row;
        }

        IReadOnlyDictionary<long, StoredAuditRow> inBlocks = await ResolveInBlocksAsync([.. ids.Where(id => !events.ContainsKey(id))], cancellationToken).ConfigureAwait(false);
        foreach ((long id, StoredAuditRow row) in inBlocks)
        {
            events.TryAdd(id, row);
        }

        return events;
    }

    /// <summary>The rows in (recorded, aid) order from the log's indexes, merged with the events of the blocks in the window.</summary>
    private async Task<List<StoredAuditRow>> ByTimeAsync(
        AuditQuery query, (long Recorded, long Aid)? after, int wanted, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        var values = new List<KeyValuePair<string, object?>>();
        TimeFilters("l", query, after, filters, values);
        if (query.Agent is { } agent)
        {
            filters.Add($"l.agent = {P("agent")}");
            values.Add(new("agent", agent));
        }

        values.Add(new("limit", (long)wanted));
        string where = filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);
        string order = query.NewestFirst ? "l.recorded DESC, l.aid DESC" : "l.recorded, l.aid";
        List<StoredAuditRow> rows = [.. await QueryAsync($"SELECT {Columns} FROM audit_log l{where} ORDER BY {order} LIMIT {P("limit")}", values, cancellationToken)
            .ConfigureAwait(false)];

        long? from = query.From?.ToUnixTimeMilliseconds();
        long? until = query.Until?.ToUnixTimeMilliseconds();
        bool Matches(StoredAuditRow e)
        {
            long recorded = e.Row.Recorded.ToUnixTimeMilliseconds();
            return (from is null || recorded >= from) && (until is null || recorded < until)
                && (after is not { } a || query.Compare(recorded, e.Id, a.Recorded, a.Aid) > 0)
                && (query.Agent is null || e.Row.Agent == query.Agent);
        }

        // The cursor bounds the window from below when paging forward, from above (inclusive) when paging back.
        (long? lowest, long? highest) = (after?.Recorded, query.NewestFirst) switch
        {
            (null, _) => (from, until),
            (long c, false) => (Later(from, c), until),
            (long c, true) => (from, Earlier(until, c + 1)),
        };
        await foreach (IReadOnlyList<StoredAuditRow> block in BlocksInWindowAsync(lowest, highest, query.Agent, query.NewestFirst, cancellationToken).ConfigureAwait(false))
        {
            // Forward, every later block starts at or after this one; back, every later block ends at most MaxSpanMillis
            // after this one starts. Once the page's last candidate comes before what a later block can hold, it is complete.
            rows.Sort(query.Compare);
            if (rows.Count >= wanted && CannotPrecede(block, rows[wanted - 1].Row.Recorded.ToUnixTimeMilliseconds(), query.NewestFirst))
            {
                break;
            }

            rows.AddRange(block.Where(Matches));
        }

        rows.Sort(query.Compare);
        return rows.Count > wanted ? rows.GetRange(0, wanted) : rows;
    }

    private static long? Later(long? a, long b) => a is { } x && x > b ? x : b;

    private static long? Earlier(long? a, long b) => a is { } x && x < b ? x : b;

    private void TimeFilters(
        string key, AuditQuery query, (long Recorded, long Aid)? after, List<string> filters, List<KeyValuePair<string, object?>> values)
    {
        if (query.From is { } lower)
        {
            filters.Add($"{key}.recorded >= {P("from")}");
            values.Add(new("from", lower.ToUnixTimeMilliseconds()));
        }

        if (query.Until is { } upper)
        {
            filters.Add($"{key}.recorded < {P("until")}");
            values.Add(new("until", upper.ToUnixTimeMilliseconds()));
        }

        if (after is { } cursor)
        {
            string beyond = query.NewestFirst ? "<" : ">";
            filters.Add($"({key}.recorded {beyond} {P("cr")} OR ({key}.recorded = {P("cr")} AND {key}.aid {beyond} {P("ca")}))");
            values.Add(new("cr", cursor.Recorded));
            values.Add(new("ca", cursor.Aid));
        }
    }

    /// <summary>Whether no event of this block or of the blocks after it in the walk can come before <paramref name="recorded"/> in the page.</summary>
    private static bool CannotPrecede(IReadOnlyList<StoredAuditRow> block, long recorded, bool newestFirst)
    {
        long earliest = block.Min(e => e.Row.Recorded.ToUnixTimeMilliseconds());
        return newestFirst ? earliest + AuditBlock.MaxSpanMillis < recorded : earliest > recorded;
    }

    /// <summary>The chain's rows and block events merged in sequence order, a batch of each at a time.</summary>
    public async IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        long after = long.MinValue;
        while (true)
        {
            string sql = $"SELECT {Columns} FROM audit_log l WHERE l.chain_id = {P("chain")} AND l.seq > {P("after")} ORDER BY l.seq LIMIT {P("limit")}";
            IReadOnlyList<StoredAuditRow> rows = await QueryAsync(
                sql, [new("chain", chainId), new("after", after), new("limit", (long)streamBatchSize)], cancellationToken).ConfigureAwait(false);
            (IReadOnlyList<StoredAuditRow> events, bool moreBlocks) = await ChainBlocksAsync(chainId, after, cancellationToken).ConfigureAwait(false);

            // Each source is complete up to its last item unless it stopped at its limit; merge only that far.
            long bound = Math.Min(
                rows.Count == streamBatchSize ? rows[^1].Row.Sequence : long.MaxValue,
                moreBlocks ? events[^1].Row.Sequence : long.MaxValue);
            var merged = rows.Concat(events).Where(r => r.Row.Sequence <= bound).OrderBy(r => r.Row.Sequence).ToList();
            foreach (StoredAuditRow row in merged)
            {
                yield return row;
            }

            if (bound == long.MaxValue || merged.Count == 0)
            {
                yield break;
            }

            after = merged[^1].Row.Sequence;
        }
    }

    public async Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var entries = new List<AuditPatientEntry>();

        // Patients first: the index's key starts with the patient, so each chunk is a handful of key range scans.
        foreach ((string Patient, long Id)[] chunk in keys.Chunk(200))
        {
            var values = new List<KeyValuePair<string, object?>>();
            string patients = string.Join(", ", chunk.Select(k => k.Patient).Distinct(StringComparer.Ordinal).Select((p, i) => Value("p" + i, p)));
            string ids = string.Join(", ", chunk.Select(k => k.Id).Distinct().Select((id, i) => Value("a" + i, id)));
            string sql = $"SELECT x.patient_id, x.aid, x.recorded FROM {patientKeys} x WHERE x.patient_id IN ({patients}) AND x.aid IN ({ids})";
            var wanted = chunk.ToHashSet();
            await ReadAsync(sql, values, reader =>
            {
                var entry = new AuditPatientEntry(reader.GetString(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
                if (wanted.Contains((entry.Patient, entry.Id)))
                {
                    entries.Add(entry);
                }
            }, cancellationToken).ConfigureAwait(false);

            if (patientPages)
            {
                foreach (string patient in chunk.Select(k => k.Patient).Distinct(StringComparer.Ordinal))
                {
                    entries.AddRange((await PagedKeysAsync(patient, cancellationToken).ConfigureAwait(false))
                        .Where(k => wanted.Contains((patient, k.Aid)))
                        .Select(k => new AuditPatientEntry(patient, k.Aid, DateTimeOffset.FromUnixTimeMilliseconds(k.Recorded))));
                }
            }

            string Value(string name, object value)
            {
                values.Add(new(name, value));
                return P(name);
            }
        }

        return entries;
    }

    public async Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        await ReadAsync($"SELECT COUNT(*) FROM {patientKeys} x", [], reader => count = reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return patientPages ? count + await CountPagedKeysAsync(cancellationToken).ConfigureAwait(false) : count;
    }

    public async Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken)
    {
        const string sql =
            """
            SELECT l.chain_id, l.seq, h.n, l.recorded, l.hash
            FROM (SELECT chain_id, MAX(seq) AS s, COUNT(*) AS n FROM audit_log GROUP BY chain_id) h
            JOIN audit_log l ON l.chain_id = h.chain_id AND l.seq = h.s
            ORDER BY l.chain_id
            """;
        var heads = new Dictionary<string, AuditChainHead>(StringComparer.Ordinal);
        await ReadAsync(sql, [], reader => heads.Add(reader.GetString(0), new AuditChainHead(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.GetFieldValue<byte[]>(4))), cancellationToken).ConfigureAwait(false);

        // A chain's newest event may be in a block, and its count is the rows' and the blocks' together.
        foreach (AuditChainHead blocks in await BlockHeadsAsync(cancellationToken).ConfigureAwait(false))
        {
            heads[blocks.ChainId] = heads.TryGetValue(blocks.ChainId, out AuditChainHead? rows)
                ? (rows.Sequence > blocks.Sequence ? rows : blocks) with { Count = rows.Count + blocks.Count }
                : blocks;
        }

        return [.. heads.Values.OrderBy(h => h.ChainId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken)
    {
        string sql = "SELECT node, number, recorded, body, signature FROM audit_checkpoint"
            + (node is null ? string.Empty : $" WHERE node = {P("node")}") + " ORDER BY node, number";
        var checkpoints = new List<AuditCheckpointRow>();
        await ReadAsync(sql, node is null ? [] : [new("node", node)], reader => checkpoints.Add(new AuditCheckpointRow(
            reader.GetString(0),
            reader.GetInt64(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.GetFieldValue<byte[]>(3),
            reader.GetFieldValue<byte[]>(4))), cancellationToken).ConfigureAwait(false);
        return checkpoints;
    }

    private async Task<IReadOnlyList<StoredAuditRow>> QueryAsync(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> values, CancellationToken cancellationToken)
    {
        var rows = new List<StoredAuditRow>();
        await ReadAsync(sql, values, reader => rows.Add(Row(reader, 0)), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>The row whose <see cref="Columns"/> start at <paramref name="at"/>.</summary>
    private static StoredAuditRow Row(DbDataReader reader, int at) => new(
        reader.GetInt64(at),
        new AuditRow(
            reader.GetString(at + 1),
            reader.GetInt64(at + 2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(at + 3)),
            reader.IsDBNull(at + 4) ? null : reader.GetString(at + 4),
            [],
            reader.GetFieldValue<byte[]>(at + 5),
            reader.GetFieldValue<byte[]>(at + 6),
            reader.GetFieldValue<byte[]>(at + 7)));

    private async Task ReadAsync(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> values, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        IReaderLease lease = await connections.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            DbDataReader reader = await lease.Command(null, new Search.CompiledSql(sql, values)).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    read(reader);
                }
            }
        }
    }

    internal static string EncodeCursor(long recorded, long aid) =>
        string.Create(CultureInfo.InvariantCulture, $"{recorded}.{aid}");

    private static (long Recorded, long Aid) DecodeCursor(string cursor)
    {
        string[] parts = cursor.Split('.');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long recorded)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long aid)
            ? (recorded, aid)
            : throw FhirException.BadRequest("The audit page cursor is not one this server issued");
    }

    private string P(string name) => dialect.Parameter(name);
}
