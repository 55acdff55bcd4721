using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Reading;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>
/// The store's own pool of reader connections, each keeping its statements prepared from one lease to the next.
/// Microsoft.Data.Sqlite's pool keeps the connection but finalizes every statement when it is closed, so each read
/// compiled its SQL again: as much CPU as a primary-key read itself (a tenth of the MPI's linking batch).
/// </summary>
internal sealed class SqliteReaderPool(string connectionString) : IReaderConnections
{
    /// <summary>Idle connections kept; more are opened under load and closed when they come back to a full pool.</summary>
    private const int MaxIdle = 32;

    private readonly ConcurrentBag<PooledReader> _idle = [];
    private volatile bool _closed;
    private int _opened;

    // ConcurrentBag.Count takes every per-thread lock of the bag; this is all a return needs.
    private int _idleCount;

    /// <summary>Connections opened so far; lets tests see them reused.</summary>
    internal int Opened => _opened;

    /// <summary>The idle connections, for tests.</summary>
    internal IReadOnlyCollection<PooledReader> Idle => _idle;

    public async Task<PooledReaderLease> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out PooledReader? reader))
        {
            Interlocked.Decrement(ref _idleCount);
            return new PooledReaderLease(reader, this);
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _opened);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PooledReaderLease(new PooledReader(connection), this);
    }

    async Task<IReaderLease> IReaderConnections.RentReaderAsync(CancellationToken cancellationToken) =>
        await RentAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A deferred transaction: SQLite takes its read snapshot at the first statement and keeps it to the end.</summary>
    Task<DbTransaction> IReaderConnections.BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    /// <summary>Closes the idle connections and every one returned from now on, so the file can be released.</summary>
    public void Close()
    {
        _closed = true;
        while (_idle.TryTake(out PooledReader? reader))
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
        }
    }

    internal void Return(PooledReader reader)
    {
        // A connection left inside a transaction (a read that failed half-way) would pin an old snapshot: not reused.
        bool reusable = !_closed && Volatile.Read(ref _idleCount) < MaxIdle && reader.Connection.State == System.Data.ConnectionState.Open
            && SQLitePCL.raw.sqlite3_get_autocommit(reader.Connection.Handle) != 0;
        if (!reusable)
        {
            reader.Dispose();
            return;
        }

        reader.Trim();
        Interlocked.Increment(ref _idleCount);
        _idle.Add(reader);

        // Closed between the check and the Add: nothing else would dispose it.
        if (_closed)
        {
            Close();
        }
    }
}
