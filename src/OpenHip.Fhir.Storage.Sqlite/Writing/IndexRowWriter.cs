using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// Writes the search index rows of one resource version into the typed ix_* tables, keyed by the resource's row id
/// and a parameter id. Used only from the writer loop.
/// </summary>
internal sealed class IndexRowWriter
{
    private static readonly string[] Tables = ["ix_string", "ix_token", "ix_reference", "ix_date", "ix_number", "ix_quantity", "ix_uri"];

    private readonly ParameterIds _parameterIds;
    private readonly SqliteCommand[] _deletes;
    private readonly SqliteCommand _insertString;
    private readonly SqliteCommand _insertToken;
    private readonly SqliteCommand _insertReference;
    private readonly SqliteCommand _insertDate;
    private readonly SqliteCommand _insertNumber;
    private readonly SqliteCommand _insertQuantity;
    private readonly SqliteCommand _insertUri;

    public IndexRowWriter(WriterStatements statements)
    {
        _parameterIds = new ParameterIds(statements);
        _deletes = [.. Tables.Select(t => statements.Prepare($"DELETE FROM {t} WHERE rid = @rid", ("@rid", SqliteType.Integer)))];
        _insertString = Insert(statements, "ix_string", ("norm", SqliteType.Text), ("exact", SqliteType.Text));
        _insertToken = Insert(statements, "ix_token", ("system", SqliteType.Text), ("code", SqliteType.Text), ("text", SqliteType.Text));
        _insertReference = Insert(
            statements, "ix_reference", ("target_type", SqliteType.Text), ("target_id", SqliteType.Text), ("url", SqliteType.Text), ("version", SqliteType.Text));
        _insertDate = Insert(statements, "ix_date", ("lo", SqliteType.Integer), ("hi", SqliteType.Integer));
        _insertNumber = Insert(statements, "ix_number", ("value", SqliteType.Real), ("high", SqliteType.Real));
        _insertQuantity = Insert(
            statements, "ix_quantity", ("value", SqliteType.Real), ("system", SqliteType.Text), ("code", SqliteType.Text), ("unit", SqliteType.Text), ("cvalue", SqliteType.Real), ("ccode", SqliteType.Text));
        _insertUri = Insert(statements, "ix_uri", ("uri", SqliteType.Text));
    }

    public ParameterIds ParameterIds => _parameterIds;

    public void Delete(long rid)
    {
        foreach (SqliteCommand delete in _deletes)
        {
            delete.Parameters[0].Value = rid;
            delete.ExecuteNonQuery();
        }
    }

    public void Insert(string type, long rid, IReadOnlyList<IndexEntry> entries)
    {
        foreach (IndexRow row in IndexRow.Of(entries))
        {
            InsertOne(rid, _parameterIds.Get(type, row.Code), row.Entry, row.Group);
        }
    }

    private void InsertOne(long rid, long pid, IndexEntry entry, int? group)
    {
        (SqliteCommand command, object?[] values) = entry switch
        {
            StringIndexEntry s => (_insertString, [s.Normalized, s.Exact]),
            TokenIndexEntry t => (_insertToken, new object?[] { NullIfEmpty(t.System), t.Code, t.Text }),
            ReferenceIndexEntry r => (_insertReference, [r.TargetType, r.TargetId, r.Url, r.CanonicalVersion]),
            DateIndexEntry d => (_insertDate, [EpochMillis.From(d.Low), EpochMillis.From(d.High)]),
            NumberIndexEntry n => (_insertNumber, [(double)n.Value, (double)(n.High ?? n.Value)]),
            QuantityIndexEntry q => (_insertQuantity, [(double)q.Value, NullIfEmpty(q.System), q.Code, q.Unit, (double?)q.CanonicalValue, q.CanonicalCode]),
            UriIndexEntry u => (_insertUri, [u.Uri]),
            _ => throw new ArgumentException($"Index entry {entry.GetType().Name} cannot be stored.", nameof(entry)),
        };

        SqliteParameterCollection p = command.Parameters;
        p[0].Value = rid;
        p[1].Value = pid;
        for (int i = 0; i < values.Length; i++)
        {
            p[i + 2].Value = values[i] ?? DBNull.Value;
        }

        p[values.Length + 2].Value = group is { } g ? g : DBNull.Value;
        command.ExecuteNonQuery();
    }

    // The contract never sends "", but one stray empty system must not become a second spelling of "no system".
    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static SqliteCommand Insert(WriterStatements statements, string table, params (string Column, SqliteType Type)[] columns)
    {
        string names = string.Join(", ", columns.Select(c => c.Column));
        string values = string.Join(", ", columns.Select(c => "@" + c.Column));
        return statements.Prepare(
            $"INSERT INTO {table} (rid, pid, {names}, grp) VALUES (@rid, @pid, {values}, @grp)",
            [("@rid", SqliteType.Integer), ("@pid", SqliteType.Integer), .. columns.Select(c => ("@" + c.Column, c.Type)), ("@grp", SqliteType.Integer)]);
    }
}
