using OpenHip.Testing;

namespace OpenHip.Tests.Durability;

/// <summary><see cref="ConditionalCreateRace"/> on the PostgreSQL store.</summary>
[Collection(PostgreSqlTests.Name)]
[Trait("Category", "Heavy")]
public sealed class ConditionalCreateRacePostgreSqlTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-race", Guid.NewGuid().ToString("n"));

    [SkippableFact]
    public async Task IdenticalConditionalCreates_32AtOnce50RoundsInARow_EachRoundCreatesExactlyOne()
    {
        string connectionString = await database.CreateSchemaAsync();
        Directory.CreateDirectory(_directory);
        using OpenHipProcess server = await OpenHipProcess.StartAsync(
            _directory, TimeSpan.FromSeconds(60), ["--store", "postgres", "--connection", connectionString]);

        await ConditionalCreateRace.RunAsync(server, "postgres");
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
