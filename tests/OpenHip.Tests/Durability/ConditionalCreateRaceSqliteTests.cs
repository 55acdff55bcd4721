namespace OpenHip.Tests.Durability;

/// <summary><see cref="ConditionalCreateRace"/> on the SQLite store.</summary>
[Trait("Category", "Heavy")]
public sealed class ConditionalCreateRaceSqliteTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-race", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task IdenticalConditionalCreates_32AtOnce50RoundsInARow_EachRoundCreatesExactlyOne()
    {
        Directory.CreateDirectory(_directory);
        using OpenHipProcess server = await OpenHipProcess.StartAsync(_directory, TimeSpan.FromSeconds(60));

        await ConditionalCreateRace.RunAsync(server, "sqlite");
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
