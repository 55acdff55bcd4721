using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.Relational;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The index rows of several resources, gathered per ix_* table into column arrays, so that each table costs one
/// <c>INSERT ... SELECT FROM unnest(...)</c> however many rows a changeset carries.
/// </summary>
internal sealed class IndexRows(ParameterIds parameterIds)
{
    private static readonly string[] Tables = ["ix_string", "ix_token", "ix_reference", "ix_date", "ix_number", "ix_quantity", "ix_uri"];

    private readonly Table _string = new("ix_string", ("norm", NpgsqlDbType.Text), ("exact", NpgsqlDbType.Text));
    private readonly Table _token = new("ix_token", ("system", NpgsqlDbType.Text), ("code", NpgsqlDbType.Text), ("text", NpgsqlDbType.Text));
    private readonly Table _reference = new(
        "ix_reference", ("target_type", NpgsqlDbType.Text), ("target_id", NpgsqlDbType.Text), ("url", NpgsqlDbType.Text), ("version", NpgsqlDbType.Text));

    private readonly Table _date = new("ix_date", ("lo", NpgsqlDbType.Bigint), ("hi", NpgsqlDbType.Bigint));
    private readonly Table _number = new("ix_number", ("value", NpgsqlDbType.Double), ("high", NpgsqlDbType.Double));
    private readonly Table _quantity = new(
        "ix_quantity", ("value", NpgsqlDbType.Double), ("system", NpgsqlDbType.Text), ("code", NpgsqlDbType.Text), ("unit", NpgsqlDbType.Text), ("cvalue", NpgsqlDbType.Double), ("ccode", NpgsqlDbType.Text));

    private readonly Table _uri = new("ix_uri", ("uri", NpgsqlDbType.Text));

    /// <summary>Every (type, code) key the entries need a parameter id for.</summary>
    public static IEnumerable<(string Type, string Code)> ParameterKeys(string type, IReadOnlyList<IndexEntry> entries) =>
        IndexRow.Of(entries).Select(row => (type, row.Code));

    /// <summary>Statements removing every index row of the resources (before their new rows go in).</summary>
    public static void AddDeletes(NpgsqlBatch batch, long[] rids)
    {
        if (rids.Length == 0)
        {
            return;
        }

        foreach (string table in Tables)
        {
            NpgsqlBatchCommand delete = batch.CreateBatchCommand();
            delete.CommandText = $"DELETE FROM {table} WHERE rid = ANY($1)";
            delete.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = rids });
            batch.BatchCommands.Add(delete);
        }
    }

    public void Add(string type, long rid, IReadOnlyList<IndexEntry> entries)
    {
        foreach (IndexRow row in IndexRow.Of(entries))
        {
            AddOne(rid, parameterIds.Get(type, row.Code), row.Entry, row.Group);
        }
    }

    /// <summary>Writes every gathered row with binary COPY (the bulk path), one COPY per table that has rows.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        foreach (Table table in new[] { _string, _token, _reference, _date, _number, _quantity, _uri })
        {
            await table.CopyAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One insert statement per table that has rows.</summary>
    public void AddInserts(NpgsqlBatch batch)
    {
        foreach (Table table in new[] { _string, _token, _reference, _date, _number, _quantity, _uri })
        {
            table.AddInsert(batch);
        }
    }

    private void AddOne(long rid, int pid, IndexEntry entry, int? group)
    {
        switch (entry)
        {
            case StringIndexEntry s:
                _string.Add(rid, pid, group, s.Normalized, s.Exact);
                break;
            case TokenIndexEntry t:
                _token.Add(rid, pid, group, NullIfEmpty(t.System), t.Code, t.Text);
                break;
            case ReferenceIndexEntry r:
                _reference.Add(rid, pid, group, r.TargetType, r.TargetId, r.Url, r.CanonicalVersion);
                break;
            case DateIndexEntry d:
                _date.Add(rid, pid, group, d.Low.ToUnixTimeMilliseconds(), d.High.ToUnixTimeMilliseconds());
                break;
            case NumberIndexEntry n:
                _number.Add(rid, pid, group, (double)n.Value, (double)(n.High ?? n.Value));
                break;
            case QuantityIndexEntry q:
                _quantity.Add(rid, pid, group, (double)q.Value, NullIfEmpty(q.System), q.Code, q.Unit, (double?)q.CanonicalValue, q.CanonicalCode);
                break;
            case UriIndexEntry u:
                _uri.Add(rid, pid, group, u.Uri);
                break;
            default:
                throw new ArgumentException($"Index entry {entry.GetType().Name} cannot be stored.", nameof(entry));
        }
    }

    // The contract never sends "", but one stray empty system must not become a second spelling of "no system".
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The rows of one ix_* table as column lists.</summary>
    private sealed class Table
    {
        private readonly string _sql;
        private readonly string _copy;
        private readonly NpgsqlDbType[] _types;
        private readonly List<long> _rids = [];
        private readonly List<int> _pids = [];
        private readonly List<int?> _groups = [];
        private readonly List<object?>[] _values;

        public Table(string name, params (string Column, NpgsqlDbType Type)[] columns)
        {
            _types = [.. columns.Select(c => c.Type)];
            _values = [.. columns.Select(_ => new List<object?>())];
            string names = string.Join(", ", columns.Select(c => c.Column));
            string arrays = string.Concat(columns.Select((c, i) => $", ${i + 4}::{SqlType(c.Type)}[]"));
            _sql = $"INSERT INTO {name} (rid, pid, grp, {names}) SELECT * FROM unnest($1::bigint[], $2::integer[], $3::integer[]{arrays})";
            _copy = $"COPY {name} (rid, pid, grp, {names}) FROM STDIN (FORMAT BINARY)";
        }

        public async Task CopyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            if (_rids.Count == 0)
            {
                return;
            }

            await using NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync(_copy, cancellationToken).ConfigureAwait(false);
            for (int row = 0; row < _rids.Count; row++)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_rids[row], NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_pids[row], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteAsync(importer, _groups[row], NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                for (int column = 0; column < _types.Length; column++)
                {
                    await WriteAsync(importer, _values[column][row], _types[column], cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        private static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
            value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

        public void Add(long rid, int pid, int? group, params object?[] values)
        {
            _rids.Add(rid);
            _pids.Add(pid);
            _groups.Add(group);
            for (int i = 0; i < values.Length; i++)
            {
                _values[i].Add(values[i]);
            }
        }

        public void AddInsert(NpgsqlBatch batch)
        {
            if (_rids.Count == 0)
            {
                return;
            }

            NpgsqlBatchCommand insert = batch.CreateBatchCommand();
            insert.CommandText = _sql;
            insert.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = [.. _rids] });
            insert.Parameters.Add(new NpgsqlParameter<int[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = [.. _pids] });
            insert.Parameters.Add(new NpgsqlParameter<int?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = [.. _groups] });
            for (int i = 0; i < _types.Length; i++)
            {
                insert.Parameters.Add(Column(_types[i], _values[i]));
            }

            batch.BatchCommands.Add(insert);
        }

        private static NpgsqlParameter Column(NpgsqlDbType type, List<object?> values) => type switch
        {
            NpgsqlDbType.Text => new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<string?>()] },
            NpgsqlDbType.Bigint => new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<long>()] },
            NpgsqlDbType.Double => new NpgsqlParameter<double?[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = [.. values.Cast<double?>()] },
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

        private static string SqlType(NpgsqlDbType type) => type switch
        {
            NpgsqlDbType.Text => "text",
            NpgsqlDbType.Bigint => "bigint",
            NpgsqlDbType.Double => "double precision",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
