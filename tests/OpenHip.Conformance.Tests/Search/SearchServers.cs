using System.Collections.Concurrent;

namespace OpenHip.Conformance.Tests.Search;

/// <summary>
/// The servers of one store, one per fixture file (so a search sees that file's resources and nothing else), each
/// started and loaded on its fixture's first case and stopped with the test class. A store supplies its settings.
/// </summary>
public abstract class SearchServers : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SearchServer>>> _servers = new(StringComparer.Ordinal);

    /// <summary>What selects and configures the store under test; empty means the default (SQLite).</summary>
    protected abstract IReadOnlyDictionary<string, string?> StoreSettings { get; }

    public Task<SearchServer> ForAsync(SearchFixture fixture) =>
        _servers.GetOrAdd(fixture.Name, _ => new Lazy<Task<SearchServer>>(() => SearchServer.StartAsync(fixture, Settings()))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (Lazy<Task<SearchServer>> server in _servers.Values.Where(s => s.IsValueCreated))
        {
            if (server.Value.IsCompletedSuccessfully)
            {
                await server.Value.Result.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string?> Settings() => new(StoreSettings)
    {
        // The fixtures' time-zone cases are written for the region zone, so it is pinned rather than defaulted.
        ["Fhir:TimeZone"] = "Asia/Shanghai",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };
}
