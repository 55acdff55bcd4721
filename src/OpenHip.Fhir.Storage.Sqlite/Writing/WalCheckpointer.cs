using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// Copies the WAL back into the database file on a connection and thread of its own. SQLite's automatic checkpoint
/// runs inside the COMMIT that crosses its threshold, so the one writer, which every write waits for, also did the
/// copying and the database file's fsync: more than half of a large COMMIT (a linking batch touches pages
/// all over the search indexes). A passive checkpoint here runs beside the writer's next transaction instead. The
/// writer keeps SQLite's own automatic checkpoint as a backstop, at a size this one never lets the WAL reach while it
/// keeps up (the WAL can only start over once a checkpoint has copied all of it).
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>Pages written to the WAL after which a checkpoint is due (SQLite's own default threshold).</summary>
    public const int Pages = 1_000;

    /// <summary>The writer's own automatic checkpoint, for when this one falls behind.</summary>
    public const int BackstopPages = 8 * Pages;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _written;
    private long _checkpoints;

    /// <param name="connection">An open read-write connection to the store's file; the checkpointer owns it.</param>
    public WalCheckpointer(SqliteConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far; lets tests see the work moved here.</summary>
    internal long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Called by the writer after each commit with the pages that commit wrote to the WAL.</summary>
    public void Written(int pages)
    {
        if (Interlocked.Add(ref _written, pages) >= Pages && _due.CurrentCount == 0)
        {
            try
            {
                _due.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled first: one checkpoint covers both.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _due.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        using SqliteCommand checkpoint = _connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        while (true)
        {
            try
            {
                await _due.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Exchange(ref _written, 0);
            try
            {
                checkpoint.ExecuteNonQuery();
                Interlocked.Increment(ref _checkpoints);
            }
#pragma warning disable CA1031 // A checkpoint that fails is retried at the next signal; the writer's backstop bounds the WAL meanwhile.
            catch (SqliteException)
#pragma warning restore CA1031
            {
            }
        }
    }
}
