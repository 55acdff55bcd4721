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
internal sealed class AuditRowWriter : IDisposable
{
    private readonly RawStatement _insert;
    private readonly RawStatement _insertPatient;
    private readonly List<(string Patient, long Recorded, long Aid)> _patients = [];

    public AuditRowWriter(SqliteConnection connection)
    {
        _insert = new RawStatement(
            connection, "INSERT INTO audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

        // OR IGNORE: an event may name the same patient twice.
        _insertPatient = new RawStatement(connection, "INSERT OR IGNORE INTO audit_patient (patient_id, recorded, aid) VALUES (?1, ?2, ?3)");
    }

    public void Insert(IReadOnlyList<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _patients.Clear();
        foreach (AuditRow row in rows)
        {
            long recorded = EpochMillis.From(row.Recorded);
            long aid = _insert
                .Text(1, row.ChainId).Integer(2, row.Sequence).Integer(3, recorded).Text(4, row.Agent)
                .Blob(5, row.Payload.Span).Blob(6, row.Hash.Span).Blob(7, row.PreviousHash.Span)
                .Run();
            foreach (string patient in row.Patients)
            {
                _patients.Add((patient, recorded, aid));
            }
        }

        // In key order the move walks the patient index once, front to back: a leaf is fetched while it is still in the
        // page cache from the key before, instead of keys landing on random leaves the cache may already have evicted.
        _patients.Sort(static (a, b) =>
        {
            int byPatient = string.CompareOrdinal(a.Patient, b.Patient);
            return byPatient != 0 ? byPatient : a.Recorded != b.Recorded ? a.Recorded.CompareTo(b.Recorded) : a.Aid.CompareTo(b.Aid);
        });
        foreach ((string patient, long recorded, long aid) in _patients)
        {
            _insertPatient.Text(1, patient).Integer(2, recorded).Integer(3, aid).Run();
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _insertPatient.Dispose();
    }
}
