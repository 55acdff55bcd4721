using System.CommandLine;
using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Hosting;

namespace OpenHip.Commands;

/// <summary>The flags that choose and reach the store, shared by `serve` and `db migrate`.</summary>
internal sealed class StoreFlags
{
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (default ./openhip.json)" };

    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "Where the SQLite database lives (default ./data)" };

    public Option<string?> Store { get; } = new("--store") { Description = "sqlite (default) or postgres (Storage:Provider)" };

    public Option<string?> Connection { get; } =
        new("--connection") { Description = "PostgreSQL connection string, e.g. \"Host=db;Database=openhip;Username=openhip\" (Storage:PostgreSql:ConnectionString)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(DataDir);
        command.Options.Add(Store);
        command.Options.Add(Connection);
    }

    /// <summary>The settings given as flags; they override OPENHIP__* environment variables and openhip.json.</summary>
    public Dictionary<string, string?> Overrides(ParseResult result)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        Put(overrides, ServerOptions.DataDirectoryKey, result.GetValue(DataDir));
        Put(overrides, StorageOptions.ProviderKey, result.GetValue(Store));
        Put(overrides, PostgreSqlStoreOptions.ConnectionStringKey, result.GetValue(Connection));
        return overrides;
    }

    public static void Put(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            overrides[key] = value;
        }
    }
}
