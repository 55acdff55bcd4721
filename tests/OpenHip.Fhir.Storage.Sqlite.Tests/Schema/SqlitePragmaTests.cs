using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Schema;

public sealed class SqlitePragmaTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task OpenAsync_NewDatabase_IsInWalJournalMode()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options());

        using SqliteConnection connection = _database.OpenRaw();
        Assert.Equal("wal", TempDatabase.Scalar(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Optimize_AfterWrites_GivesThePlannerStatisticsOnTheIndexTables()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options());
        for (int i = 0; i < 20; i++)
        {
            await store.CommitAsync(
                Changeset.Of(new ResourceWrite("Patient", $"p{i}", 1, 0, DateTimeOffset.UnixEpoch, WriteMethod.Create, "{}"u8.ToArray(), null, [new TokenIndexEntry("gender", null, "male")], [])),
                CancellationToken.None);
        }

        await store.OptimizeAsync();

        Assert.True(_database.Count("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'ix_token'") > 0);
    }

    [Fact]
    public void OpenWriter_Connection_HasSynchronousFullAndForeignKeys()
    {
        var factory = new SqliteConnectionFactory(_database.Options());

        using SqliteConnection writer = factory.OpenWriter();

        Assert.Equal(2L, TempDatabase.Scalar(writer, "PRAGMA synchronous")); // 2 = FULL
        Assert.Equal(1L, TempDatabase.Scalar(writer, "PRAGMA foreign_keys"));
        Assert.Equal("wal", TempDatabase.Scalar(writer, "PRAGMA journal_mode"));
        Assert.Equal(5000L, TempDatabase.Scalar(writer, "PRAGMA busy_timeout"));
    }

    [Fact]
    public void OpenWriter_Connection_CachesAWholeAuditMove()
    {
        var factory = new SqliteConnectionFactory(_database.Options());

        using SqliteConnection writer = factory.OpenWriter();

        // Negative: KiB rather than pages. A move of 2,000 rows dirties up to ~2,000 index pages (8 MiB); a larger cache
        // makes every commit dearer.
        Assert.Equal(-16384L, TempDatabase.Scalar(writer, "PRAGMA cache_size"));
    }

    [Fact]
    public async Task OpenAsync_InvalidOptions_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = " " }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SqliteFhirStore.OpenAsync(_database.Options(maxGroup: 0)));
    }

    [Fact]
    public async Task OpenAsync_PathInMissingFolder_CreatesFolderAndDatabase()
    {
        string path = Path.Combine(Path.GetDirectoryName(_database.Path)!, "nested", "deeper", "store.db");

        await using (await SqliteFhirStore.OpenAsync(new SqliteStoreOptions { DatabasePath = path }))
        {
        }

        Assert.True(File.Exists(path));
    }
}
