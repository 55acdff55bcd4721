using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Relational.Audit;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// Inserts audit rows and their patient keys through statements bound by position (<see cref="RawStatement"/>),
/// <see cref="RowsPerStatement"/> rows per execution where a batch has that many. A journal move brings thousands of rows
/// at once, and for a row of this size much of an INSERT's cost is per statement rather than per B-tree entry: through
/// Microsoft.Data.Sqlite 15.7 µs of CPU per row one at a time and 11.1 µs in 32-row statements (which also paid for
/// looking every parameter up by name); SQLite alone ~10 µs one at a time against ~7.5 µs in 16-row statements, the
/// difference being each statement's start and end, among them AUTOINCREMENT's update of <c>sqlite_sequence</c>.
/// Used only from the writer loop.
/// </summary>
/// <remarks>
/// A batch of at least <see cref="BlocksFrom"/> rows (a journal move under load) is stored as blocks instead
/// (<see cref="AuditBlock"/>): per block one row, one agent key per distinct agent and the events' patient keys, where rows
/// cost four B-tree entries per event; SQLite alone 1.1 against 10.5 µs per event with the patient keys (Python's
/// <c>sqlite3</c>, same schema; docs/performance.md, "Tenth pass"). Fewer rows stay rows, which keeps a quiet server's
/// log one row per event.
/// <para>
/// Patient keys become a new run of the patient index (<see cref="AuditPatientRuns"/>) in the same transaction. Inserted one
/// read at a time into an index keyed by patient, each key had landed on a leaf of its own patient: every move's commit
/// wrote most of the index's leaves to the WAL again (about 20 µs of CPU per audited read, measured).
/// </para>
/// </remarks>
internal sealed class AuditRowWriter : IDisposable
{
    internal const int RowsPerStatement = 16;

    internal const int BlocksFrom = 64;

    private readonly RawStatement _insert;
    private readonly RawStatement _insertMany;
    private readonly List<(long Aid, string Patient, long Recorded)> _keys = [];
    private readonly AuditPatientRuns _patients;
    private readonly RawStatement _ensureSequence;
    private readonly RawStatement _takeIds;
    private readonly RawStatement _insertBlock;
    private readonly RawStatement _insertBlockAgent;

    /// <param name="schema">The attached database whose audit tables this writes: <c>main</c> or the audit log's file.</param>
    public AuditRowWriter(SqliteConnection connection, string schema, int runsPerLevel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string insertRows = $"INSERT INTO {schema}.audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES ";
        _insert = new RawStatement(connection, insertRows + RawStatement.Values(1, 7));
        _insertMany = new RawStatement(connection, insertRows + RawStatement.Values(RowsPerStatement, 7));
        _patients = new AuditPatientRuns(connection, schema, runsPerLevel);

        // A block's events take their ids from audit_log's AUTOINCREMENT counter, which the writer alone advances.
        _ensureSequence = new RawStatement(
            connection,
            $"INSERT INTO {schema}.sqlite_sequence (name, seq) SELECT 'audit_log', COALESCE((SELECT MAX(aid) FROM {schema}.audit_log), 0) WHERE NOT EXISTS (SELECT 1 FROM {schema}.sqlite_sequence WHERE name = 'audit_log')");
        _takeIds = new RawStatement(connection, $"UPDATE {schema}.sqlite_sequence SET seq = seq + ?1 WHERE name = 'audit_log'");
        _insertBlock = new RawStatement(
            connection,
            $"INSERT INTO {schema}.audit_block (first_aid, count, chain_id, first_seq, first_recorded, last_recorded, prev_hash, body) VALUES ((SELECT seq FROM {schema}.sqlite_sequence WHERE name = 'audit_log') - ?1 + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _insertBlockAgent = new RawStatement(connection, $"INSERT OR IGNORE INTO {schema}.audit_block_agent (agent, first_aid) VALUES (?1, ?2)");
    }

    public void Insert(IReadOnlyList<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _keys.Clear();
        if (rows.Count >= BlocksFrom)
        {
            InsertBlocks(rows);
        }
        else
        {
            InsertRows(rows);
        }

        _patients.Add(_keys);
    }

    public void Dispose()
    {
        _insert.Dispose();
        _insertMany.Dispose();
        _patients.Dispose();
        _ensureSequence.Dispose();
        _takeIds.Dispose();
        _insertBlock.Dispose();
        _insertBlockAgent.Dispose();
    }

    private void InsertBlocks(IReadOnlyList<AuditRow> rows)
    {
        _ensureSequence.Run();
        foreach ((int start, int count) in AuditBlock.Runs(rows))
        {
            EncodedBlock block = AuditBlock.Encode(rows, start, count);
            _takeIds.Integer(1, count).Run();
            AuditRow first = rows[start];
            long firstAid = _insertBlock
                .Integer(1, count).Text(2, first.ChainId).Integer(3, first.Sequence).Integer(4, block.FirstRecorded).Integer(5, block.LastRecorded)
                .Blob(6, first.PreviousHash.Span).Blob(7, block.Body).Run();
            foreach (string agent in block.Agents)
            {
                _insertBlockAgent.Text(1, agent).Integer(2, firstAid).Run();
            }

            for (int i = 0; i < count; i++)
            {
                Keys(firstAid + i, rows[start + i]);
            }
        }
    }

    private void InsertRows(IReadOnlyList<AuditRow> rows)
    {
        int at = 0;
        for (; rows.Count - at >= RowsPerStatement; at += RowsPerStatement)
        {
            for (int i = 0; i < RowsPerStatement; i++)
            {
                Bind(_insertMany, i * 7, rows[at + i]);
            }

            // The writer is the database's only writer and the rows have no aid of their own, so AUTOINCREMENT gives the
            // statement's rows consecutive aids in VALUES order, ending at the last inserted one.
            long last = _insertMany.Run();
            for (int i = 0; i < RowsPerStatement; i++)
            {
                Keys(last - RowsPerStatement + 1 + i, rows[at + i]);
            }
        }

        for (; at < rows.Count; at++)
        {
            Keys(Bind(_insert, 0, rows[at]).Run(), rows[at]);
        }
    }

    private static RawStatement Bind(RawStatement statement, int offset, AuditRow row) =>
        statement
            .Text(offset + 1, row.ChainId).Integer(offset + 2, row.Sequence).Integer(offset + 3, EpochMillis.From(row.Recorded)).Text(offset + 4, row.Agent)
            .Blob(offset + 5, row.Payload.Span).Blob(offset + 6, row.Hash.Span).Blob(offset + 7, row.PreviousHash.Span);

    private void Keys(long aid, AuditRow row)
    {
        long recorded = EpochMillis.From(row.Recorded);
        foreach (string patient in row.Patients)
        {
            _keys.Add((aid, patient, recorded));
        }
    }
}
