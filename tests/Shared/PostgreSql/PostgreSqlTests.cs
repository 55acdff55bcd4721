using Xunit;

namespace OpenHip.Testing;

/// <summary>
/// Every test class that uses <see cref="PostgreSqlTestServer"/> joins this collection: they share one server per
/// run, which the collection's fixture stops and removes when the last of them has finished.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlTests : ICollectionFixture<PostgreSqlTests.Lifetime>
{
    public const string Name = "PostgreSQL";

    public sealed class Lifetime : IAsyncLifetime
    {
        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync() => PostgreSqlTestServer.StopSharedAsync();
    }
}
