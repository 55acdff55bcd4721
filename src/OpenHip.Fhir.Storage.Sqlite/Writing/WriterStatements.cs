using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Search;
using OpenHip.Fhir.Storage.Relational.Writing;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// The writer connection's statements, prepared once and re-executed with new parameter values: compiling SQL
/// per write would cost more than the write itself. Used only from the writer loop, never concurrently.
/// </summary>
internal sealed class WriterStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];

    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;

    private readonly SqliteCommand _selectCurrentVersion;
    private readonly CreateGuardCheck _guards = new(new SearchSqlBuilder(SqliteDialect.Instance, TimeProvider.System));
    private readonly SqliteCommand _insertVersion;
    private readonly SqliteCommand _upsertCurrent;
    private readonly SqliteCommand _deleteCompartments;
    private readonly SqliteCommand _insertCompartment;
    private readonly SqliteCommand _insertOutbox;
    private readonly SqliteCommand _upsertConsumerPosition;
    private readonly SqliteCommand _selectCurrentRow;
    private readonly SqliteCommand _upsertState;
    private readonly SqliteCommand _deleteState;
    private readonly SqliteCommand _insertCheckpoint;
    private readonly AuditRowWriter _audit;
    private readonly AuditRowWriter _auditFile;

    public WriterStatements(SqliteConnection connection, int auditPatientRunsPerLevel)
    {
        _connection = connection;

        // The transaction is driven with plain SQL rather than SqliteTransaction so that savepoints and the
        // prepared commands need no transaction object re-attached per group.
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _savepoint = Prepare("SAVEPOINT changeset");
        _release = Prepare("RELEASE changeset");
        _rollbackToSavepoint = Prepare("ROLLBACK TO changeset");

        _selectCurrentVersion = Prepare(
            "SELECT version FROM resource_current WHERE type = @type AND id = @id",
            ("@type", SqliteType.Text), ("@id", SqliteType.Text));

        _insertVersion = Prepare(
            """
            INSERT INTO resource_version (type, id, version, last_updated, method, deleted, source, json)
            VALUES (@type, @id, @version, @last_updated, @method, @deleted, @source, @json)
            RETURNING seq
            """,
            ("@type", SqliteType.Text), ("@id", SqliteType.Text), ("@version", SqliteType.Integer),
            ("@last_updated", SqliteType.Integer), ("@method", SqliteType.Integer), ("@deleted", SqliteType.Integer),
            ("@source", SqliteType.Text), ("@json", SqliteType.Blob));

        _upsertCurrent = Prepare(
            """
            INSERT INTO resource_current (type, id, seq, version, deleted, last_updated)
            VALUES (@type, @id, @seq, @version, @deleted, @last_updated)
            ON CONFLICT (type, id) DO UPDATE SET
                seq = excluded.seq, version = excluded.version, deleted = excluded.deleted, last_updated = excluded.last_updated
            RETURNING rid
            """,
            ("@type", SqliteType.Text), ("@id", SqliteType.Text), ("@seq", SqliteType.Integer),
            ("@version", SqliteType.Integer), ("@deleted", SqliteType.Integer), ("@last_updated", SqliteType.Integer));

        _deleteCompartments = Prepare(
            "DELETE FROM compartment WHERE type = @type AND id = @id",
            ("@type", SqliteType.Text), ("@id", SqliteType.Text));

        // OR IGNORE: a resource may name the same patient through several references.
        _insertCompartment = Prepare(
            "INSERT OR IGNORE INTO compartment (type, id, patient_id) VALUES (@type, @id, @patient_id)",
            ("@type", SqliteType.Text), ("@id", SqliteType.Text), ("@patient_id", SqliteType.Text));

        _insertOutbox = Prepare(
            """
            INSERT INTO outbox (seq, type, id, version, method, last_updated)
            VALUES (@seq, @type, @id, @version, @method, @last_updated)
            """,
            ("@seq", SqliteType.Integer), ("@type", SqliteType.Text), ("@id", SqliteType.Text),
            ("@version", SqliteType.Integer), ("@method", SqliteType.Integer), ("@last_updated", SqliteType.Integer));

        _upsertConsumerPosition = Prepare(
            """
            INSERT INTO consumer_position (consumer, position) VALUES (@consumer, @position)
            ON CONFLICT (consumer) DO UPDATE SET position = excluded.position
            """,
            ("@consumer", SqliteType.Text), ("@position", SqliteType.Integer));

        _selectCurrentRow = Prepare(
            "SELECT rid, version, deleted FROM resource_current WHERE type = @type AND id = @id",
            ("@type", SqliteType.Text), ("@id", SqliteType.Text));

        _upsertState = Prepare(
            "INSERT INTO index_state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ("@key", SqliteType.Text), ("@value", SqliteType.Text));

        _deleteState = Prepare("DELETE FROM index_state WHERE key = @key", ("@key", SqliteType.Text));

        _insertCheckpoint = Prepare(
            $"INSERT INTO {SqliteConnectionFactory.AuditSchema}.audit_checkpoint (node, number, recorded, body, signature) VALUES (@node, @number, @recorded, @body, @signature)",
            ("@node", SqliteType.Text), ("@number", SqliteType.Integer), ("@recorded", SqliteType.Integer),
            ("@body", SqliteType.Blob), ("@signature", SqliteType.Blob));

        Index = new IndexRowWriter(this);
        _audit = new AuditRowWriter(connection, "main", auditPatientRunsPerLevel);
        _auditFile = new AuditRowWriter(connection, SqliteConnectionFactory.AuditSchema, auditPatientRunsPerLevel);
    }

    public IndexRowWriter Index { get; }

    /// <summary>False once SQLite has rolled the transaction back on its own (I/O error, disk full, ...).</summary>
    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    public void Begin()
    {
        // Ids from a transaction that ended without COMMIT (SQLite may abandon one on its own) are not real.
        Index.ParameterIds.RolledBack();
        _begin.ExecuteNonQuery();
    }

    public void Commit()
    {
        _commit.ExecuteNonQuery();
        Index.ParameterIds.Committed();
    }

    /// <summary>Pages written to the WAL since the last call (by commits, and by any transaction that spilled its cache).</summary>
    public int TakeWalPagesWritten()
    {
        SQLitePCL.raw.sqlite3_db_status(_connection.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out int pages, out _, 1);
        return pages;
    }

    public void Rollback()
    {
        Index.ParameterIds.RolledBack();
        _rollback.ExecuteNonQuery();
    }

    public void Savepoint() => _savepoint.ExecuteNonQuery();

    public void ReleaseSavepoint() => _release.ExecuteNonQuery();

    /// <summary>Undoes everything since the savepoint and ends it, leaving the group's transaction open.</summary>
    public void RollbackToSavepoint()
    {
        Index.ParameterIds.RolledBack();
        _rollbackToSavepoint.ExecuteNonQuery();
        _release.ExecuteNonQuery();
    }

    /// <summary>The current version of a resource, deleted or not; 0 when it never existed.</summary>
    /// <inheritdoc cref="CreateGuardCheck.Enforce"/>
    public void Enforce(CreateGuard guard) => _guards.Enforce(_connection, null, guard);

    public long ReadCurrentVersion(string type, string id)
    {
        _selectCurrentVersion.Parameters[0].Value = type;
        _selectCurrentVersion.Parameters[1].Value = id;
        object? version = _selectCurrentVersion.ExecuteScalar();
        return version is null ? 0 : (long)version;
    }

    /// <summary>Appends the version row and returns its global sequence number.</summary>
    public long InsertVersion(ResourceWrite write)
    {
        SqliteParameterCollection p = _insertVersion.Parameters;
        p[0].Value = write.Type;
        p[1].Value = write.Id;
        p[2].Value = write.VersionId;
        p[3].Value = EpochMillis.From(write.LastUpdated);
        p[4].Value = (long)write.Method;
        p[5].Value = write.IsDelete ? 1L : 0L;
        p[6].Value = (object?)write.Source ?? DBNull.Value;
        p[7].Value = write.IsDelete || write.Json.IsEmpty ? DBNull.Value : AsArray(write.Json);
        return (long)_insertVersion.ExecuteScalar()!;
    }

    /// <summary>Points the resource at its new version and returns its row key, which never changes.</summary>
    public long UpsertCurrent(ResourceWrite write, long seq)
    {
        SqliteParameterCollection p = _upsertCurrent.Parameters;
        p[0].Value = write.Type;
        p[1].Value = write.Id;
        p[2].Value = seq;
        p[3].Value = write.VersionId;
        p[4].Value = write.IsDelete ? 1L : 0L;
        p[5].Value = EpochMillis.From(write.LastUpdated);
        return (long)_upsertCurrent.ExecuteScalar()!;
    }

    /// <summary>Drops the compartment rows of the previous version: like the index, they describe current versions only.</summary>
    public void DeleteCompartments(string type, string id)
    {
        _deleteCompartments.Parameters[0].Value = type;
        _deleteCompartments.Parameters[1].Value = id;
        _deleteCompartments.ExecuteNonQuery();
    }

    public void InsertCompartment(string type, string id, string patientId)
    {
        SqliteParameterCollection p = _insertCompartment.Parameters;
        p[0].Value = type;
        p[1].Value = id;
        p[2].Value = patientId;
        _insertCompartment.ExecuteNonQuery();
    }

    public void InsertOutbox(ResourceWrite write, long seq)
    {
        SqliteParameterCollection p = _insertOutbox.Parameters;
        p[0].Value = seq;
        p[1].Value = write.Type;
        p[2].Value = write.Id;
        p[3].Value = write.VersionId;
        p[4].Value = (long)write.Method;
        p[5].Value = EpochMillis.From(write.LastUpdated);
        _insertOutbox.ExecuteNonQuery();
    }

    /// <summary>Replaces the index rows of a resource whose current version is still <see cref="IndexReplacement.VersionId"/>.</summary>
    public bool ReplaceIndex(IndexReplacement replacement)
    {
        _selectCurrentRow.Parameters[0].Value = replacement.Key.Type;
        _selectCurrentRow.Parameters[1].Value = replacement.Key.Id;
        long rid;
        using (SqliteDataReader reader = _selectCurrentRow.ExecuteReader())
        {
            if (!reader.Read() || reader.GetInt64(1) != replacement.VersionId || reader.GetInt64(2) != 0)
            {
                return false;
            }

            rid = reader.GetInt64(0);
        }

        Index.Delete(rid);
        Index.Insert(replacement.Key.Type, rid, replacement.Index);
        return true;
    }

    public bool Optimize(bool firstPass)
    {
        using SqliteCommand optimize = _connection.CreateCommand();
        optimize.CommandText = firstPass ? "PRAGMA optimize = 0x10002;" : "PRAGMA optimize;";
        optimize.ExecuteNonQuery();
        return true;
    }

    public void SetState(string key, string? value)
    {
        SqliteCommand command = value is null ? _deleteState : _upsertState;
        command.Parameters[0].Value = key;
        if (value is not null)
        {
            command.Parameters[1].Value = value;
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Inserts the setting unless one exists (inside the writer's transaction); returns the value that stands.</summary>
    public string AddStateIfAbsent(string key, string value)
    {
        using SqliteCommand insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO index_state (key, value) VALUES ($key, $value) ON CONFLICT (key) DO NOTHING RETURNING value";
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$value", value);
        if (insert.ExecuteScalar() is string inserted)
        {
            return inserted;
        }

        using SqliteCommand read = _connection.CreateCommand();
        read.CommandText = "SELECT value FROM index_state WHERE key = $key";
        read.Parameters.AddWithValue("$key", key);
        return (string)read.ExecuteScalar()!;
    }

    /// <summary>
    /// Appends the audit rows of a changeset's writes and their patient keys to the database file, so that they commit
    /// atomically with their data (never updates: the tables are append-only).
    /// </summary>
    public void InsertAudit(IReadOnlyList<Fhir.Audit.AuditRow> rows) => _audit.Insert(rows);

    /// <summary>Appends audit rows that go with no data to the audit log's own file.</summary>
    public void InsertAuditApart(IReadOnlyList<Fhir.Audit.AuditRow> rows) => _auditFile.Insert(rows);

    public void InsertCheckpoint(Fhir.Audit.AuditCheckpointRow checkpoint)
    {
        SqliteParameterCollection p = _insertCheckpoint.Parameters;
        p[0].Value = checkpoint.Node;
        p[1].Value = checkpoint.Number;
        p[2].Value = EpochMillis.From(checkpoint.Recorded);
        p[3].Value = AsArray(checkpoint.Body);
        p[4].Value = AsArray(checkpoint.Signature);
        _insertCheckpoint.ExecuteNonQuery();
    }

    public void UpsertConsumerPosition(string consumer, long position)
    {
        _upsertConsumerPosition.Parameters[0].Value = consumer;
        _upsertConsumerPosition.Parameters[1].Value = position;
        _upsertConsumerPosition.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _audit.Dispose();
        _auditFile.Dispose();
        foreach (SqliteCommand command in _commands)
        {
            command.Dispose();
        }
    }

    // SQLite copies the blob while binding, so the caller's array can be handed over without an extra copy.
    internal static byte[] AsArray(ReadOnlyMemory<byte> json) =>
        MemoryMarshal.TryGetArray(json, out ArraySegment<byte> segment)
            && segment.Offset == 0
            && segment.Count == segment.Array!.Length
            ? segment.Array
            : json.ToArray();

    internal SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        _commands.Add(command);
        command.CommandText = sql;
        foreach ((string name, SqliteType type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
