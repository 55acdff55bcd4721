using System.Diagnostics;
using OpenHip.Fhir.Storage;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Testing;
using static OpenHip.Conformance.Tests.Storage.StoreWrites;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// A changeset on PostgreSQL waits on the network once per round trip, so their number is what bounds ingest
/// (issue #5): a guarded create used to cost five (guard lock, guard check, claim, index rows, COMMIT). Npgsql traces
/// each command or batch it sends as one activity (NpgsqlTransaction's COMMIT is not traced), which counts them.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlRoundTripTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private PostgreSqlFhirStore _store = null!;

    public async Task InitializeAsync()
    {
        string connectionString = await database.CreateSchemaAsync();
        _store = await PostgreSqlFhirStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableFact]
    public async Task Commit_GuardedCreateWithIndexRows_TakesTwoRoundTrips()
    {
        // Parameter ids and a pooled connection exist already, as they do on a running server.
        await _store.CommitAsync(Changeset.Of(Create("Patient", "warm", index: [Token("identifier", "urn:mrn", "W"), Token("gender", null, "f")])), None);
        var guard = new CreateGuard(new TokenQuery("Patient", [new TokenClause("identifier", [new TokenValue("urn:mrn", "A")])], 2), "p1");

        int roundTrips = await CountRoundTripsAsync(() => _store.CommitAsync(
            new Changeset([Create("Patient", "p1", index: [Token("identifier", "urn:mrn", "A"), Token("gender", null, "f")], compartments: ["p1"])])
            {
                Guards = [guard],
            },
            None));

        Assert.Equal(2, roundTrips);
        Assert.NotNull(await _store.ReadCurrentAsync("Patient", "p1", None));
    }

    private static async Task<int> CountRoundTripsAsync(Func<Task> commit)
    {
        // Only activities under this test's own parent count: other test classes may use Npgsql at the same time.
        using var parent = new Activity("round-trips").Start();
        int count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == parent.TraceId)
                {
                    Interlocked.Increment(ref count);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await commit();
        return count;
    }
}
