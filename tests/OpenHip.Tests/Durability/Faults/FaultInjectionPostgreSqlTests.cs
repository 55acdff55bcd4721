using OpenHip.Testing;
using Xunit.Abstractions;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// Issue 9: crash proof of the PostgreSQL store, as <see cref="FaultInjectionSqliteTests"/> on SQLite. Only the OpenHIP
/// process is killed: PostgreSQL's own crash safety is its business, the engine's use of transactions is ours.
/// </summary>
[Collection(PostgreSqlTests.Name)]
[Trait("Category", "Heavy")]
public sealed class FaultInjectionPostgreSqlTests(PostgreSqlTestDatabase database, ITestOutputHelper output) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-faults", Guid.NewGuid().ToString("n"));

    [SkippableFact]
    public async Task KillNine_AtRandomAndNamedPoints_NothingAcknowledgedLostAndTheAuditChainVerifies()
    {
        string connectionString = await database.CreateSchemaAsync();
        string data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        var run = new FaultRun(new FaultStore.PostgreSql(data, connectionString), output);

        await run.RunAsync(FaultRun.Rounds, seed: 20_261_127);

        output.WriteLine($"PostgreSQL: {run.Kills} processes killed");
        Assert.True(run.Kills > FaultRun.Rounds, $"{run.Kills} kills in {FaultRun.Rounds} rounds");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not affect results.
        }
    }
}
