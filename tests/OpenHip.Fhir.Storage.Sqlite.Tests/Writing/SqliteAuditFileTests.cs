using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Sqlite.Schema;

namespace OpenHip.Fhir.Storage.Sqlite.Tests.Writing;

/// <summary>
/// The audit log's own file: what goes with no FHIR data is appended there, so the FHIR readers' page caches (dropped by
/// SQLite whenever their file changed) survive the audit log's commits; the write audits stay with their data, and the
/// store reads both as one log.
/// </summary>
public sealed class SqliteAuditFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task Append_RowsBlocksAndCheckpoints_LeaveTheDatabaseFileUnchanged()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options());

        // Behind the start-up statistics pass, which writes the database file.
        await store.CommitAsync(Writes.Of(Writes.Create("Patient", "p1")), CancellationToken.None);
        using SqliteConnection data = _database.OpenRaw();
        object? before = TempDatabase.Scalar(data, "PRAGMA data_version");

        await store.AppendAsync(Rows("c", 1, 3), CancellationToken.None);
        await store.AppendAsync(Rows("c", 4, 100), CancellationToken.None);
        await store.AppendCheckpointAsync(new AuditCheckpointRow("node-a", 1, T0, "{}"u8.ToArray(), new byte[64]), CancellationToken.None);

        Assert.Equal(before, TempDatabase.Scalar(data, "PRAGMA data_version"));
        Assert.Equal(0L, TempDatabase.Scalar(data, "SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM audit_block) + (SELECT COUNT(*) FROM audit_checkpoint)"));
        using SqliteConnection audit = OpenAuditFile();
        Assert.Equal(3L, TempDatabase.Scalar(audit, "SELECT COUNT(*) FROM audit_log"));
        Assert.Equal(100L, TempDatabase.Scalar(audit, "SELECT SUM(count) FROM audit_block"));
        Assert.Equal(1L, TempDatabase.Scalar(audit, "SELECT COUNT(*) FROM audit_checkpoint"));

        // A write's audit rows commit with its data, in the database file.
        await store.CommitAsync(new Changeset([Writes.Create("Patient", "p2")]) { AuditRows = Rows("c", 104, 1) }, CancellationToken.None);
        Assert.NotEqual(before, TempDatabase.Scalar(data, "PRAGMA data_version"));
        Assert.Equal(1L, TempDatabase.Scalar(data, "SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public async Task Reads_ChainInBothFiles_AreOneLog()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options());
        List<AuditRow> written = [];
        async Task WithDataAsync(long seq)
        {
            List<AuditRow> rows = Rows("c", seq, 1);
            await store.CommitAsync(new Changeset([Writes.Create("Patient", "w" + seq)]) { AuditRows = rows }, CancellationToken.None);
            written.AddRange(rows);
        }

        async Task ApartAsync(long seq, int count)
        {
            List<AuditRow> rows = Rows("c", seq, count);
            await store.AppendAsync(rows, CancellationToken.None);
            written.AddRange(rows);
        }

        await WithDataAsync(1);
        await ApartAsync(2, 2);
        await WithDataAsync(4);
        await ApartAsync(5, 76);
        await WithDataAsync(81);

        List<StoredAuditRow> chain = [];
        await foreach (StoredAuditRow row in store.StreamChainAsync("c", CancellationToken.None))
        {
            chain.Add(row);
        }

        Assert.Equal(Enumerable.Range(1, 81).Select(i => (long)i), chain.Select(r => r.Row.Sequence));
        Assert.Equal(written.Select(r => r.Recorded), chain.Select(r => r.Row.Recorded));
        Assert.Equal([1L, 4L, 81L], chain.Where(r => r.Id < SqliteAuditFileMigrations.FirstId).Select(r => r.Row.Sequence));
        Assert.Equal(chain.Count, chain.Select(r => r.Id).Distinct().Count());

        AuditChainHead head = Assert.Single(await store.ListChainsAsync(CancellationToken.None));
        Assert.Equal((81L, 81L), (head.Sequence, head.Count));

        foreach (StoredAuditRow row in chain.Where(r => r.Row.Sequence is 1 or 2 or 50 or 81))
        {
            StoredAuditRow? read = await store.ReadAuditAsync(row.Id, CancellationToken.None);
            Assert.Equal(row.Row.Sequence, read?.Row.Sequence);
        }

        // Several events share each millisecond, across the files: pages follow (recorded, id) without a gap or a repeat.
        List<long> expected = [.. chain.OrderBy(r => r.Row.Recorded).ThenBy(r => r.Id).Select(r => r.Id)];
        Assert.Equal(expected, await PagesAsync(store, new AuditQuery { Count = 7 }));
        Assert.Equal(expected, await PagesAsync(store, new AuditQuery { Count = 5, Patient = "p1" }));

        IReadOnlyList<AuditPatientEntry> entries = await store.ReadPatientEntriesAsync([.. chain.Select(r => ("p1", r.Id))], CancellationToken.None);
        Assert.Equal(81, entries.Count);
        Assert.Equal(81L, await store.CountPatientEntriesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Checkpoints_InTheAuditFile_AreReadAndKeptUnique()
    {
        await using SqliteFhirStore store = await SqliteFhirStore.OpenAsync(_database.Options());
        await store.AppendCheckpointAsync(new AuditCheckpointRow("node-b", 1, T0, "{}"u8.ToArray(), new byte[64]), CancellationToken.None);
        await store.AppendCheckpointAsync(new AuditCheckpointRow("node-a", 1, T0, "{}"u8.ToArray(), new byte[64]), CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() =>
            store.AppendCheckpointAsync(new AuditCheckpointRow("node-a", 1, T0, "{}"u8.ToArray(), new byte[64]), CancellationToken.None));
        Assert.Equal(["node-a", "node-b"], (await store.ReadCheckpointsAsync(null, CancellationToken.None)).Select(c => c.Node));
    }

    [Fact]
    public void AuditFileOf_NamesTheFileBesideTheDatabase()
    {
        Assert.Equal(Path.Combine("data", "openhip.audit.db"), SqliteStoreOptions.AuditFileOf(Path.Combine("data", "openhip.db")));
        Assert.Equal("store.audit", SqliteStoreOptions.AuditFileOf("store"));
    }

    private static async Task<List<long>> PagesAsync(SqliteFhirStore store, AuditQuery query)
    {
        var ids = new List<long>();
        AuditQuery page = query;
        while (true)
        {
            AuditPage found = await store.SearchAuditAsync(page, CancellationToken.None);
            ids.AddRange(found.Rows.Select(r => r.Id));
            if (found.Next is null)
            {
                return ids;
            }

            page = query with { After = found.Next };
        }
    }

    // Three events per millisecond, so that ties between the two files are ordered by id.
    private static List<AuditRow> Rows(string chain, long firstSeq, int count) =>
        [.. Enumerable.Range(0, count).Select(i => firstSeq + i).Select(seq => new AuditRow(
            chain, seq, T0.AddMilliseconds(seq / 3), "dr-a", ["p1"], "{}"u8.ToArray(), new byte[32], new byte[32]))];

    private SqliteConnection OpenAuditFile()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = SqliteStoreOptions.AuditFileOf(_database.Path),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
