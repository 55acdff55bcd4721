namespace OpenHip.LoadDriver;

/// <summary>
/// Which store a `search` run measures, from the server settings it passes on: PostgreSQL when
/// <c>--set Storage:Provider=postgres</c> and its connection string are given, else the SQLite file in the data directory.
/// </summary>
internal sealed record SearchStore(string? PostgreSqlConnection)
{
    public bool IsPostgreSql => PostgreSqlConnection is not null;

    public static SearchStore From(IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        // The last setting wins, as it does for the server's configuration.
        string? provider = settings.LastOrDefault(s => Is(s.Key, "Storage:Provider")).Value;
        if (!string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase) && !string.Equals(provider, "postgresql", StringComparison.OrdinalIgnoreCase))
        {
            return new SearchStore((string?)null);
        }

        string connection = settings.LastOrDefault(s => Is(s.Key, "Storage:PostgreSql:ConnectionString")).Value
            ?? throw new ArgumentException("search on PostgreSQL needs --set Storage:PostgreSql:ConnectionString=... as well");
        return new SearchStore(connection);
    }

    /// <summary>The plan source for this store: SQLite's file in <paramref name="dataDirectory"/>, or the PostgreSQL database.</summary>
    public IStorePlans OpenPlans(string dataDirectory) =>
        PostgreSqlConnection is { } connection ? new PostgreSqlPlans(connection) : new SqlitePlans(Path.Combine(dataDirectory, DatabaseSize.FileName));

    private static bool Is(string key, string name) =>
        string.Equals(key.Replace("__", ":", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase);
}
