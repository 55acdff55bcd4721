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
/// Patient keys go first to <c>audit_patient_recent</c>, keyed by event id, so they are appended at the end of its
/// B-tree; once it holds <c>mergeAt</c> keys they are merged into <c>audit_patient</c> in key order, in the same
/// transaction. Inserted one read at a time, each key had landed on a leaf of its own patient: every move's commit wrote
/// most of the index's leaves to the WAL again (about 20 µs of CPU per audited read, measured), where a merge of tens of
/// thousands of keys writes each leaf once for many of them.
/// </para>
/// </remarks>
internal sealed class AuditRowWriter : IDisposable
{
    internal const int RowsPerStatement = 16;

    internal const int BlocksFrom = 64;

    private readonly RawStatement _insert;
    private readonly RawStatement _insertMany;
    private readonly RawStatement _insertRecent;
    private readonly RawStatement _insertRecentMany;
    private readonly List<(long Aid, string Patient, long Recorded)> _keys = [];
    private readonly RawStatement _merge;
    private readonly RawStatement _clearRecent;
    private readonly RawStatement _ensureSequence;
    private readonly RawStatement _takeIds;
    private readonly RawStatement _insertBlock;
    private readonly RawStatement _insertBlockAgent;
    private readonly int _mergeAt;

    // Counted, not queried: a rolled-back move leaves it high (an early merge) or a rolled-back merge low (a later,
    // larger one); either way every key stays in exactly one of the two tables.
    private long _recent;

    /// <param name="schema">The attached database whose audit tables this writes: <c>main</c> or the audit log's file.</param>
    public AuditRowWriter(SqliteConnection connection, string schema, int mergeAt)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(mergeAt, 1);
        _mergeAt = mergeAt;
        string insertRows = $"INSERT INTO {schema}.audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES ";

        // OR IGNORE: an event may name the same patient twice.
        string insertKeys = $"INSERT OR IGNORE INTO {schema}.audit_patient_recent (aid, patient_id, recorded) VALUES ";
        _insert = new RawStatement(connection, insertRows + Values(1, 7));
        _insertMany = new RawStatement(connection, insertRows + Values(RowsPerStatement, 7));
        _insertRecent = new RawStatement(connection, insertKeys + Values(1, 3));
        _insertRecentMany = new RawStatement(connection, insertKeys + Values(RowsPerStatement, 3));
        _merge = new RawStatement(
            connection,
            $"INSERT OR IGNORE INTO {schema}.audit_patient (patient_id, recorded, aid) SELECT patient_id, recorded, aid FROM {schema}.audit_patient_recent ORDER BY patient_id, recorded, aid");
        _clearRecent = new RawStatement(connection, $"DELETE FROM {schema}.audit_patient_recent");

        // A block's events take their ids from audit_log's AUTOINCREMENT counter, which the writer alone advances.
        _ensureSequence = new RawStatement(
            connection,
            $"INSERT INTO {schema}.sqlite_sequence (name, seq) SELECT 'audit_log', COALESCE((SELECT MAX(aid) FROM {schema}.audit_log), 0) WHERE NOT EXISTS (SELECT 1 FROM {schema}.sqlite_sequence WHERE name = 'audit_log')");
        _takeIds = new RawStatement(connection, $"UPDATE {schema}.sqlite_sequence SET seq = seq + ?1 WHERE name = 'audit_log'");
        _insertBlock = new RawStatement(
            connection,
            $"INSERT INTO {schema}.audit_block (first_aid, count, chain_id, first_seq, first_recorded, last_recorded, prev_hash, body) VALUES ((SELECT seq FROM {schema}.sqlite_sequence WHERE name = 'audit_log') - ?1 + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _insertBlockAgent = new RawStatement(connection, $"INSERT OR IGNORE INTO {schema}.audit_block_agent (agent, first_aid) VALUES (?1, ?2)");
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {schema}.audit_patient_recent";
        _recent = (long)count.ExecuteScalar()!;
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

        InsertKeys();
        if (_recent >= _mergeAt)
        {
            _merge.Run();
            _clearRecent.Run();
            _recent = 0;
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _insertMany.Dispose();
        _insertRecent.Dispose();
        _insertRecentMany.Dispose();
        _merge.Dispose();
        _clearRecent.Dispose();
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

    // "(?1, ?2), (?3, ?4)" for two rows of two columns.
    private static string Values(int rows, int columns) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(1, columns).Select(c => "?" + ((r * columns) + c).ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")"));

    private void Keys(long aid, AuditRow row)
    {
        long recorded = EpochMillis.From(row.Recorded);
        foreach (string patient in row.Patients)
        {
            _keys.Add((aid, patient, recorded));
        }
    }

    private void InsertKeys()
    {
        int at = 0;
        for (; _keys.Count - at >= RowsPerStatement; at += RowsPerStatement)
        {
            for (int i = 0; i < RowsPerStatement; i++)
            {
                (long aid, string patient, long recorded) = _keys[at + i];
                _insertRecentMany.Integer((i * 3) + 1, aid).Text((i * 3) + 2, patient).Integer((i * 3) + 3, recorded);
            }

            _insertRecentMany.Run();
        }

        for (; at < _keys.Count; at++)
        {
            (long aid, string patient, long recorded) = _keys[at];
            _insertRecent.Integer(1, aid).Text(2, patient).Integer(3, recorded).Run();
        }

        _recent += _keys.Count;
    }
}
