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

    // One writer assigns sequence numbers in commit order, so the sequence is also the commit key.
    public string OutboxAfterSql(string commit, string sequence, string max) =>
        $"SELECT seq, type, id, version, method, last_updated, seq FROM outbox WHERE seq > {sequence} ORDER BY seq LIMIT {max}";

    public string OutboxHeadSql => "SELECT seq, seq FROM outbox ORDER BY seq DESC LIMIT 1";

    public string ConsumerPositionSql(string consumer) => $"SELECT position, position FROM consumer_position WHERE consumer = {consumer}";

    public object ToDbTimestamp(DateTimeOffset value) => EpochMillis.From(value);
}
