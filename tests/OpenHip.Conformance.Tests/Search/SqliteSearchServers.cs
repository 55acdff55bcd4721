namespace OpenHip.Conformance.Tests.Search;

/// <summary>The default store: embedded SQLite in each server's temporary data directory.</summary>
public sealed class SqliteSearchServers : SearchServers
{
    protected override IReadOnlyDictionary<string, string?> StoreSettings { get; } = new Dictionary<string, string?>();
}
