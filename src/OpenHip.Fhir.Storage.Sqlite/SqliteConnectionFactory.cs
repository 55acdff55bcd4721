using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Reading;
using OpenHip.Fhir.Storage.Sqlite.Reading;
using OpenHip.Fhir.Storage.Sqlite.Writing;

namespace OpenHip.Fhir.Storage.Sqlite;

/// <summary>
/// Opens the store's connections: one unpooled writer that owns every write, and pooled readers that WAL lets
/// run beside it on their own snapshots. The writer has the audit log's file attached as <c>audit</c>; that file has
/// readers of its own, so that reading the audit log leaves the FHIR readers' page caches alone too.
/// </summary>
internal sealed class SqliteConnectionFactory : IReaderConnections
{
    /// <summary>The schema name under which the writer and the checkpointer see the audit log's file.</summary>
    public const string AuditSchema = "audit";

    private readonly string _writerConnectionString;
    private readonly string _auditFileConnectionString;
    private readonly string _auditFilePath;
    private readonly long _busyTimeoutMs;
    private readonly SqliteReaderPool _readers;
    private readonly SqliteReaderPool _auditReaders;

    public SqliteConnectionFactory(SqliteStoreOptions options)
    {
        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout, so that carries the busy timeout for readers.
        int timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        _busyTimeoutMs = (long)options.BusyTimeout.TotalMilliseconds;

        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        _auditFilePath = options.AuditDatabasePath;
        _auditFileConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _auditFilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        // Readers are pooled by the store (SqliteReaderPool), not by Microsoft.Data.Sqlite.
        _readers = new SqliteReaderPool(ReaderConnectionString(options.DatabasePath, timeoutSeconds));
        _auditReaders = new SqliteReaderPool(ReaderConnectionString(_auditFilePath, timeoutSeconds));
    }

    /// <summary>
    /// Opens the writer. synchronous and foreign_keys are per connection, so they are set here on the only
    /// connection that writes; journal_mode=WAL is stored in the file and then applies to every reader too.
    /// </summary>
    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs};"));

            string? journalMode = Scalar(connection, "PRAGMA journal_mode = WAL;") as string;
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The SQLite database could not be switched to WAL mode (it reports '{journalMode}').");
            }

            // FULL: every acknowledged commit is on disk before we answer, even across power loss or kill -9.
            Execute(connection, "PRAGMA synchronous = FULL;");
            Execute(connection, "PRAGMA foreign_keys = ON;");

            // Every changeset runs in a savepoint, so SQLite keeps each page's before-image in a sub-journal; past
            // 64 KiB that spills to a temp file and each page costs two write syscalls (a third of an audited commit's
            // CPU). In memory it is a copy. It holds at most the pages one transaction touches.
            Execute(connection, "PRAGMA temp_store = MEMORY;");

            // A journal move puts thousands of patient keys on random index pages in one transaction. With SQLite's
            // default 2 MiB cache those dirty pages spill into the WAL before the commit and are read back for the next
            // key; 16 MiB holds a move of 2,000 rows. Not more: when a B-tree page splits, SQLite (3.53) parks a page
            // under the lock-byte page's number (262145) for a moment, and from then on every commit that truncates the
            // page cache to the database's size walks the cache's whole hash table while the database is under 1 GiB.
            // At 64 MiB that walk was ~9 µs of every request of a 90/10 read/create mix (`perf`, gdb on
            // pcache1TruncateUnsafe). Pages are allocated as they are used, so a small database stays small.
            Execute(connection, "PRAGMA cache_size = -16384;");

            // ANALYZE (run by PRAGMA optimize) samples this many rows per index, so it stays a few milliseconds at any size.
            Execute(connection, "PRAGMA analysis_limit = 1000;");

            // Checkpoints are the WalCheckpointer's; the writer's own is the backstop.
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {WalCheckpointer.BackstopPages};"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the audit log's file alone (created when missing), for its migrations. WAL, like the database: the audit
    /// log's readers run beside its writes.
    /// </summary>
    public SqliteConnection OpenAuditFile()
    {
        var connection = new SqliteConnection(_auditFileConnectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs};"));
            string? journalMode = Scalar(connection, "PRAGMA journal_mode = WAL;") as string;
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The SQLite audit file could not be switched to WAL mode (it reports '{journalMode}').");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches the audit log's file to the writer: a transaction that only appends audit records writes that file's
    /// WAL and leaves the database's untouched. A group that holds both commits each file atomically, not both as one
    /// (WAL mode has no super-journal); nothing needs more, as the audit records that must go with their data (write
    /// audits) are in the database file.
    /// </summary>
    public void AttachAuditFile(SqliteConnection writer)
    {
        Attach(writer);

        // Per schema, so set again for the attached file; the cache holds a journal move's patient keys (see OpenWriter).
        Execute(writer, $"PRAGMA {AuditSchema}.synchronous = FULL;");
        Execute(writer, $"PRAGMA {AuditSchema}.cache_size = -16384;");
    }

    /// <summary>Opens the connection that checkpoints the WALs; FULL so that the database files are synced before a WAL is reused.</summary>
    public SqliteConnection OpenCheckpointer()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs};"));
            Execute(connection, "PRAGMA synchronous = FULL;");
            Attach(connection);
            Execute(connection, $"PRAGMA {AuditSchema}.synchronous = FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal SqliteReaderPool Readers => _readers;

    /// <summary>The readers of the audit log's file.</summary>
    public IReaderConnections AuditReaders => _auditReaders;

    public Task<IReaderLease> RentReaderAsync(CancellationToken cancellationToken) =>
        ((IReaderConnections)_readers).RentReaderAsync(cancellationToken);

    public Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ((IReaderConnections)_readers).BeginSnapshotAsync(connection, cancellationToken);

    /// <summary>Closes the idle pooled readers so the files are released when the store is disposed.</summary>
    public void ClearReaderPool()
    {
        _readers.Close();
        _auditReaders.Close();
    }

    private static string ReaderConnectionString(string path, int timeoutSeconds) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = false,
        DefaultTimeout = timeoutSeconds,
    }.ToString();

    private void Attach(SqliteConnection connection)
    {
        using SqliteCommand attach = connection.CreateCommand();
        attach.CommandText = $"ATTACH DATABASE $path AS {AuditSchema};";
        attach.Parameters.AddWithValue("$path", _auditFilePath);
        attach.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
