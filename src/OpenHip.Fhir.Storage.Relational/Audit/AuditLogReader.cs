using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Storage.Relational.Reading;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>
/// Every read of the audit log over the shared schema (<c>audit_log</c>, <c>audit_patient</c> with
/// <c>audit_patient_recent</c>, <c>audit_checkpoint</c>).
/// Lookups by patient, agent and time use those tables' indexes; pages are keyset-paged on (recorded, aid).
/// </summary>
public sealed class AuditLogReader(IReaderConnections connections, ISqlDialect dialect, int streamBatchSize)
{
    private const string Columns = "l.aid, l.chain_id, l.seq, l.recorded, l.agent, l.payload, l.hash, l.prev_hash";

    // A patient key is in the index or still among the keys gathered for its next merge (audit_patient_recent).
    private const string PatientKeys =
        "(SELECT patient_id, recorded, aid FROM audit_patient UNION ALL SELECT patient_id, recorded, aid FROM audit_patient_recent)";

    public async Task<StoredAuditRow?> ReadAsync(long id, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredAuditRow> rows = await QueryAsync(
            $"SELECT {Columns} FROM audit_log l WHERE l.aid = {P("aid")}", [new("aid", id)], cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Count, 1, nameof(query));

        // With a patient the walk follows audit_patient's (patient_id, recorded, aid) key; otherwise audit_log's own.
        string key = query.Patient is null ? "l" : "x";
        string from = query.Patient is null ? "audit_log l" : $"{PatientKeys} x JOIN audit_log l ON l.aid = x.aid";
        var filters = new List<string>();
        var values = new List<KeyValuePair<string, object?>>();
        void Filter(string condition, string name, object value)
        {
            filters.Add(condition);
            values.Add(new(name, value));
        }

        if (query.Patient is { } patient)
        {
            Filter($"x.patient_id = {P("patient")}", "patient", patient);
        }

        if (query.Agent is { } agent)
        {
            Filter($"l.agent = {P("agent")}", "agent", agent);
        }

        if (query.From is { } lower)
        {
            Filter($"{key}.recorded >= {P("from")}", "from", lower.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } upper)
        {
            Filter($"{key}.recorded < {P("until")}", "until", upper.ToUnixTimeMilliseconds());
        }

        if (query.After is { } cursor)
        {
            (long recorded, long aid) = DecodeCursor(cursor);
            filters.Add($"({key}.recorded > {P("cr")} OR ({key}.recorded = {P("cr")} AND {key}.aid > {P("ca")}))");
            values.Add(new("cr", recorded));
            values.Add(new("ca", aid));
        }

        // One row more than asked tells whether another page exists.
        values.Add(new("limit", (long)query.Count + 1));
        string where = filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);
        string sql = $"SELECT {Columns} FROM {from}{where} ORDER BY {key}.recorded, {key}.aid LIMIT {P("limit")}";
        IReadOnlyList<StoredAuditRow> rows = await QueryAsync(sql, values, cancellationToken).ConfigureAwait(false);
        if (rows.Count <= query.Count)
        {
            return new AuditPage(rows, null);
        }

        StoredAuditRow last = rows[query.Count - 1];
        return new AuditPage([.. rows.Take(query.Count)], EncodeCursor(last.Row.Recorded.ToUnixTimeMilliseconds(), last.Id));
    }

    public async IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        long after = long.MinValue;
        while (true)
        {
            string sql = $"SELECT {Columns} FROM audit_log l WHERE l.chain_id = {P("chain")} AND l.seq > {P("after")} ORDER BY l.seq LIMIT {P("limit")}";
            IReadOnlyList<StoredAuditRow> rows = await QueryAsync(
                sql, [new("chain", chainId), new("after", after), new("limit", (long)streamBatchSize)], cancellationToken).ConfigureAwait(false);
            foreach (StoredAuditRow row in rows)
            {
                yield return row;
            }

            if (rows.Count < streamBatchSize)
            {
                yield break;
            }

            after = rows[^1].Row.Sequence;
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
            string sql = $"SELECT x.patient_id, x.aid, x.recorded FROM {PatientKeys} x WHERE x.patient_id IN ({patients}) AND x.aid IN ({ids})";
            var wanted = chunk.ToHashSet();
            await ReadAsync(sql, values, reader =>
            {
                var entry = new AuditPatientEntry(reader.GetString(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
                if (wanted.Contains((entry.Patient, entry.Id)))
                {
                    entries.Add(entry);
                }
            }, cancellationToken).ConfigureAwait(false);

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
        await ReadAsync("SELECT (SELECT COUNT(*) FROM audit_patient) + (SELECT COUNT(*) FROM audit_patient_recent)", [], reader => count = reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return count;
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
        var heads = new List<AuditChainHead>();
        await ReadAsync(sql, [], reader => heads.Add(new AuditChainHead(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.GetFieldValue<byte[]>(4))), cancellationToken).ConfigureAwait(false);
        return heads;
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
        await ReadAsync(sql, values, reader => rows.Add(new StoredAuditRow(
            reader.GetInt64(0),
            new AuditRow(
                reader.GetString(1),
                reader.GetInt64(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                [],
                reader.GetFieldValue<byte[]>(5),
                reader.GetFieldValue<byte[]>(6),
                reader.GetFieldValue<byte[]>(7)))), cancellationToken).ConfigureAwait(false);
        return rows;
    }

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

    private static string EncodeCursor(long recorded, long aid) =>
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
