using Xunit.Abstractions;

namespace OpenHip.Tests.Durability.Faults;

/// <summary>
/// Issue 9: crash proof of the SQLite store. Rounds of kill -9 at random moments and at the named fault points, with
/// authorization, the audit log and field encryption on; see <see cref="FaultRun"/> for what is checked after each.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class FaultInjectionSqliteTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-faults", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task KillNine_AtRandomAndNamedPoints_NothingAcknowledgedLostAndTheAuditChainVerifies()
    {
        string data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        var run = new FaultRun(new FaultStore.Sqlite(data), output);

        await run.RunAsync(FaultRun.Rounds, seed: 20_261_126);

        output.WriteLine($"SQLite: {run.Kills} processes killed");
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
