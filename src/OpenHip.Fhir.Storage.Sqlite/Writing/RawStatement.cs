using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// A statement prepared once on the writer connection and bound by position through SQLitePCL directly. Written by
/// hand for the audit log's journal moves, thousands of small rows at a time: Microsoft.Data.Sqlite looks each
/// parameter up by name at every execution (a linear scan of the statement's names) and runs every execution through
/// a data reader, which together cost more than inserting the row (see <see cref="AuditRowWriter"/>). Used only from
/// the writer loop.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle!;
        int rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public RawStatement Text(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public RawStatement Integer(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public RawStatement Blob(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Runs the statement to completion and resets it for the next binding; returns the last inserted row id.</summary>
    public long Run()
    {
        int rc = raw.sqlite3_step(_statement);
        while (rc == raw.SQLITE_ROW)
        {
            rc = raw.sqlite3_step(_statement);
        }

        // sqlite3_reset repeats the step's error code; reset before throwing so the statement is reusable either way.
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>The rows the last <see cref="Run"/> inserted, updated or deleted.</summary>
    public int Changes => raw.sqlite3_changes(_db);

    public void Dispose() => _statement.Dispose();

    // "(?1, ?2), (?3, ?4)" for two rows of two columns.
    internal static string Values(int rows, int columns) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(1, columns).Select(c => "?" + ((r * columns) + c).ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")"));

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}
