using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// The writer's map from (resource type, parameter code) to search_param.pid, creating ids on first use. Ids created
/// inside the open transaction stay provisional until COMMIT: a rolled-back id may be handed out again to another
/// parameter, so a cached one must never outlive its rollback.
/// </summary>
internal sealed class ParameterIds
{
    private readonly ConcurrentDictionary<(string Type, string Code), long> _committed = new();
    private readonly Dictionary<(string Type, string Code), long> _provisional = [];
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _insert;

    public ParameterIds(WriterStatements statements)
    {
        _select = statements.Prepare(
            "SELECT pid FROM search_param WHERE type = @type AND code = @code", ("@type", SqliteType.Text), ("@code", SqliteType.Text));
        _insert = statements.Prepare(
            "INSERT INTO search_param (type, code) VALUES (@type, @code) RETURNING pid", ("@type", SqliteType.Text), ("@code", SqliteType.Text));
    }

    public long Get(string type, string code)
    {
        if (_committed.TryGetValue((type, code), out long pid) || _provisional.TryGetValue((type, code), out pid))
        {
            return pid;
        }

        _select.Parameters[0].Value = type;
        _select.Parameters[1].Value = code;
        if (_select.ExecuteScalar() is long existing)
        {
            _provisional[(type, code)] = existing;
            return existing;
        }

        _insert.Parameters[0].Value = type;
        _insert.Parameters[1].Value = code;
        pid = (long)_insert.ExecuteScalar()!;
        _provisional[(type, code)] = pid;
        return pid;
    }

    public void Committed()
    {
        foreach (KeyValuePair<(string Type, string Code), long> entry in _provisional)
        {
            _committed[entry.Key] = entry.Value;
        }

        _provisional.Clear();
    }

    public void RolledBack() => _provisional.Clear();
}
