using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.Relational;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The index and compartment rows of several resources, gathered per table into column arrays, so that all of them
/// cost one <c>INSERT ... SELECT FROM unnest(...)</c> statement however many rows and tables a changeset carries: the
/// tables that have rows are written by one data-modifying <c>WITH</c> statement. PostgreSQL's cost per statement
/// (executor start and finish, portal, protocol messages; a quarter of its CPU on ingest) was paid once per table
/// before, five to seven times per conditional create.
/// </summary>
internal sealed class IndexRows(ParameterIds parameterIds)
{
    private static readonly RowTable.Shape[] Shapes =
    [
        Index("ix_string", ("norm", NpgsqlDbType.Text), ("exact", NpgsqlDbType.Text)),
        Index("ix_token", ("system", NpgsqlDbType.Text), ("code", NpgsqlDbType.Text), ("text", NpgsqlDbType.Text)),
        Index("ix_reference", ("target_type", NpgsqlDbType.Text), ("target_id", NpgsqlDbType.Text), ("url", NpgsqlDbType.Text), ("version", NpgsqlDbType.Text)),
        Index("ix_date", ("lo", NpgsqlDbType.Bigint), ("hi", NpgsqlDbType.Bigint)),
        Index("ix_number", ("value", NpgsqlDbType.Double), ("high", NpgsqlDbType.Double)),
        Index(
            "ix_quantity",
            ("value", NpgsqlDbType.Double),
            ("system", NpgsqlDbType.Text),
            ("code", NpgsqlDbType.Text),
            ("unit", NpgsqlDbType.Text),
            ("cvalue", NpgsqlDbType.Double),
            ("ccode", NpgsqlDbType.Text)),
        Index("ix_uri", ("uri", NpgsqlDbType.Text)),
        new("compartment", [("type", NpgsqlDbType.Text), ("id", NpgsqlDbType.Text), ("patient_id", NpgsqlDbType.Text)], " ON CONFLICT DO NOTHING"),
    ];

    // One statement text per set of tables with rows (a bit per shape), built once: the same text each time lets
    // Npgsql prepare it.
    private static readonly string?[] InsertSqlByTables = new string?[1 << Shapes.Length];

    // Every index table of the resources in one statement: the deletes see only rows that existed before it.
    private static readonly string DeleteSql =
        MultiStatement([.. Shapes.Where(s => s.Name.StartsWith("ix_", StringComparison.Ordinal)).Select(s => $"DELETE FROM {s.Name} WHERE rid = ANY($1)")]);

    private readonly RowTable[] _tables = [.. Shapes.Select(s => new RowTable(s))];

    private RowTable StringRows => _tables[0];

    private RowTable TokenRows => _tables[1];

    private RowTable ReferenceRows => _tables[2];

    private RowTable DateRows => _tables[3];

    private RowTable NumberRows => _tables[4];

    private RowTable QuantityRows => _tables[5];

    private RowTable UriRows => _tables[6];

    private RowTable CompartmentRows => _tables[7];

    /// <summary>Every (type, code) key the entries need a parameter id for.</summary>
    public static IEnumerable<(string Type, string Code)> ParameterKeys(string type, IReadOnlyList<IndexEntry> entries) =>
        IndexRow.Of(entries).Select(row => (type, row.Code));

    /// <summary>The statement removing every index row of the resources (before their new rows go in).</summary>
    public static void AddDeletes(NpgsqlBatch batch, long[] rids)
    {
        if (rids.Length == 0)
        {
            return;
        }

        NpgsqlBatchCommand delete = batch.CreateBatchCommand();
        delete.CommandText = DeleteSql;
        delete.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = rids });
        batch.BatchCommands.Add(delete);
    }

    public void Add(string type, long rid, IReadOnlyList<IndexEntry> entries)
    {
        foreach (IndexRow row in IndexRow.Of(entries))
        {
            AddOne(rid, parameterIds.Get(type, row.Code), row.Entry, row.Group);
        }
    }

    /// <summary>A compartment row (the resource belongs to the patient's compartment); duplicates are ignored on insert.</summary>
    public void AddCompartment(string type, string id, string patientId) => CompartmentRows.Add(type, id, patientId);

    /// <summary>One statement inserting the rows of every table that has any; nothing when there are none.</summary>
    public void AddInserts(NpgsqlBatch batch)
    {
        RowTable[] filled = [.. _tables.Where(t => t.Count > 0)];
        if (filled.Length == 0)
        {
            return;
        }

        int tables = 0;
        for (int i = 0; i < _tables.Length; i++)
        {
            tables |= _tables[i].Count > 0 ? 1 << i : 0;
        }

        NpgsqlBatchCommand insert = batch.CreateBatchCommand();
        insert.CommandText = InsertSqlByTables[tables] ??= InsertSql([.. filled.Select(t => t.Of)]);
        foreach (RowTable table in filled)
        {
            table.AddParameters(insert.Parameters);
        }

        batch.BatchCommands.Add(insert);
    }

    private static string InsertSql(RowTable.Shape[] shapes)
    {
        var statements = new List<string>();
        int next = 1;
        foreach (RowTable.Shape shape in shapes)
        {
            statements.Add(RowTable.InsertSql(shape, next));
            next += shape.Columns.Length;
        }

        return MultiStatement(statements);
    }

    /// <summary>
    /// Data-modifying statements as one: all but the last as <c>WITH</c> parts, the last as the main statement.
    /// PostgreSQL runs every part to completion whether or not anything reads it.
    /// </summary>
    private static string MultiStatement(List<string> statements) =>
        statements.Count == 1
            ? statements[0]
            : "WITH " + string.Join(",\n", statements.Take(statements.Count - 1).Select((sql, i) => $"w{i} AS ({sql})")) + "\n" + statements[^1];

    private static RowTable.Shape Index(string name, params (string Column, NpgsqlDbType Type)[] columns) =>
        new(name, [("rid", NpgsqlDbType.Bigint), ("pid", NpgsqlDbType.Integer), ("grp", NpgsqlDbType.Integer), .. columns]);

    private void AddOne(long rid, int pid, IndexEntry entry, int? group)
    {
        switch (entry)
        {
            case StringIndexEntry s:
                StringRows.Add(rid, pid, group, s.Normalized, s.Exact);
                break;
            case TokenIndexEntry t:
                TokenRows.Add(rid, pid, group, NullIfEmpty(t.System), t.Code, t.Text);
                break;
            case ReferenceIndexEntry r:
                ReferenceRows.Add(rid, pid, group, r.TargetType, r.TargetId, r.Url, r.CanonicalVersion);
                break;
            case DateIndexEntry d:
                DateRows.Add(rid, pid, group, d.Low.ToUnixTimeMilliseconds(), d.High.ToUnixTimeMilliseconds());
                break;
            case NumberIndexEntry n:
                NumberRows.Add(rid, pid, group, (double)n.Value, (double)(n.High ?? n.Value));
                break;
            case QuantityIndexEntry q:
                QuantityRows.Add(rid, pid, group, (double)q.Value, NullIfEmpty(q.System), q.Code, q.Unit, (double?)q.CanonicalValue, q.CanonicalCode);
                break;
            case UriIndexEntry u:
                UriRows.Add(rid, pid, group, u.Uri);
                break;
            default:
                throw new ArgumentException($"Index entry {entry.GetType().Name} cannot be stored.", nameof(entry));
        }
    }

    // The contract never sends "", but one stray empty system must not become a second spelling of "no system".
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
