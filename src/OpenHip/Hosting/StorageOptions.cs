using OpenHip.Fhir.Storage.PostgreSql;
using OpenHip.Fhir.Storage.Sqlite;

namespace OpenHip.Hosting;

/// <summary>Which store holds the data ("Storage" section): embedded SQLite by default, or PostgreSQL.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string ProviderKey = "Storage:Provider";
    public const string SqliteProvider = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (a file in Server:DataDirectory) or <c>postgres</c> (Storage:PostgreSql:ConnectionString).</summary>
    public string Provider { get; set; } = SqliteProvider;

    public PostgreSqlStoreOptions PostgreSql { get; set; } = new();

    /// <summary>The SQLite store's tuning ("Storage:Sqlite"); its file is always openhip.db in Server:DataDirectory, whatever DatabasePath says.</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Provider, "postgresql", StringComparison.OrdinalIgnoreCase);

    public bool IsSqlite => string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase);
}
