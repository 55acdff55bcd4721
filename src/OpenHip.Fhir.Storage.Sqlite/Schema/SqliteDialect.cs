using OpenHip.Fhir.Storage.Relational;

namespace OpenHip.Fhir.Storage.Sqlite.Schema;

internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string Name => "sqlite";

    public string CreateMigrationsTableSql =>
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL -- unix epoch milliseconds, UTC
        );
        """;

    // BEGIN IMMEDIATE (what the runner's transaction uses) already takes the database write lock.
    public string? MigrationLockSql => null;

    public string Parameter(string name) => "@" + name;

    public object ToDbTimestamp(DateTimeOffset value) => EpochMillis.From(value);
}
