using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// Inserts audit rows and their patient keys, one row per execution of statements bound by position
/// (<see cref="RawStatement"/>). A journal move brings thousands of rows at once, and for a row of this size most of an
/// INSERT's cost through Microsoft.Data.Sqlite was the statement round trip rather than the B-tree work: 15.7 µs of CPU
/// per row one at a time, 11.1 µs in 32-row statements, and the multi-row statements paid for looking every parameter
/// up by name, which grows with the square of a statement's parameters. Used only from the writer loop.
/// </summary>
/// <remarks>
/// Patient keys go first to <c>audit_patient_recent</c>, keyed by event id, so they are appended at the end of its
/// B-tree; once it holds <c>mergeAt</c> keys they are merged into <c>audit_patient</c> in key order, in the same
/// transaction. Inserted one read at a time, each key had landed on a leaf of its own patient: every move's commit wrote
/// most of the index's leaves to the WAL again (about 20 µs of CPU per audited read, measured), where a merge of tens of
/// thousands of keys writes each leaf once for many of them.
/// </remarks>
internal sealed class AuditRowWriter : IDisposable
{
    private readonly RawStatement _insert;
    private readonly RawStatement _insertRecent;
    private readonly RawStatement _merge;
    private readonly RawStatement _clearRecent;
    private readonly int _mergeAt;

    // Counted, not queried: a rolled-back move leaves it high (an early merge) or a rolled-back merge low (a later,
    // larger one); either way every key stays in exactly one of the two tables.
    private long _recent;

    public AuditRowWriter(SqliteConnection connection, int mergeAt)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(mergeAt, 1);
        _mergeAt = mergeAt;
        _insert = new RawStatement(
            connection, "INSERT INTO audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

        // OR IGNORE: an event may name the same patient twice.
        _insertRecent = new RawStatement(connection, "INSERT OR IGNORE INTO audit_patient_recent (aid, patient_id, recorded) VALUES (?1, ?2, ?3)");
        _merge = new RawStatement(
            connection,
            "INSERT OR IGNORE INTO audit_patient (patient_id, recorded, aid) SELECT patient_id, recorded, aid FROM audit_patient_recent ORDER BY patient_id, recorded, aid");
        _clearRecent = new RawStatement(connection, "DELETE FROM audit_patient_recent");
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit_patient_recent";
        _recent = (long)count.ExecuteScalar()!;
    }

    public void Insert(IReadOnlyList<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (AuditRow row in rows)
        {
            long recorded = EpochMillis.From(row.Recorded);
            long aid = _insert
                .Text(1, row.ChainId).Integer(2, row.Sequence).Integer(3, recorded).Text(4, row.Agent)
                .Blob(5, row.Payload.Span).Blob(6, row.Hash.Span).Blob(7, row.PreviousHash.Span)
                .Run();
            foreach (string patient in row.Patients)
            {
                _insertRecent.Integer(1, aid).Text(2, patient).Integer(3, recorded).Run();
                _recent++;
            }
        }

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
        _insertRecent.Dispose();
        _merge.Dispose();
        _clearRecent.Dispose();
    }
}
