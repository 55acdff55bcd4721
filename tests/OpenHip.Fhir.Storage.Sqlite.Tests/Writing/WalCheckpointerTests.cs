using System.Diagnostics;
using System.Text;
using static OpenHip.Fhir.Storage.Sqlite.Tests.Writes;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

/// <summary>The WAL is copied back into the database by the store's checkpointer, not inside the writer's commits.</summary>
public sealed class WalCheckpointerTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private SqliteFhirStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteFhirStore.OpenAsync(_database.Options(), None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _database.Delete();
    }

    [Fact]
    public async Task Commit_OfMoreThanACheckpointsWorthOfPages_IsCheckpointedByTheCheckpointer()
    {
        // ~5 MB of versions: well past the 1,000 pages after which a checkpoint is due, short of the writer's backstop.
        await _store.CommitAsync(new Changeset([.. Enumerable.Range(0, 1_200).Select(i => Large($"p{i}"))]), None);

        await UntilAsync(() => _store.Writer.Checkpoints > 0);

        // All of the WAL that existed then is in the database file: a fresh passive checkpoint finds nothing left to copy.
        using Microsoft.Data.Sqlite.SqliteConnection raw = _database.OpenRaw();
        using Microsoft.Data.Sqlite.SqliteCommand checkpoint = raw.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using Microsoft.Data.Sqlite.SqliteDataReader result = checkpoint.ExecuteReader();
        Assert.True(result.Read());
        Assert.Equal(result.GetInt64(1), result.GetInt64(2));
        Assert.Equal(1_200, _database.Count("SELECT COUNT(*) FROM resource_current"));
    }

    [Fact]
    public async Task Commit_OfAFewPages_RunsNoCheckpoint()
    {
        for (int i = 0; i < 20; i++)
        {
            await _store.CommitAsync(Of(Create("Patient", $"p{i}", index: [Token($"c{i}")])), None);
        }

        Assert.Equal(0, _store.Writer.Checkpoints);
    }

    [Fact]
    public async Task Dispose_AfterCheckpointedWrites_LeavesEveryWriteAndNoWal()
    {
        await _store.CommitAsync(new Changeset([.. Enumerable.Range(0, 1_200).Select(i => Large($"p{i}"))]), None);
        await _store.CommitAsync(Of(Create("Patient", "last")), None);
        await _store.DisposeAsync();

        Assert.False(File.Exists(_database.Path + "-wal"));
        _store = await SqliteFhirStore.OpenAsync(_database.Options(), None);
        Assert.NotNull(await _store.ReadCurrentAsync("Patient", "last", None));
        Assert.Equal(1_201, _database.Count("SELECT COUNT(*) FROM resource_current"));
    }

    private static ResourceWrite Large(string id) =>
        Create("Patient", id) with { Json = Encoding.UTF8.GetBytes($$$"""{"resourceType":"Patient","id":"{{{id}}}","text":{"status":"generated","div":"{{{new string('x', 4_000)}}}"}}""") };

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the checkpointer did not run within 30 s");
            await Task.Delay(20);
        }
    }
}
