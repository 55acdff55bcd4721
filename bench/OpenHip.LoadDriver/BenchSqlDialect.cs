using OpenHip.Fhir.Storage.Relational;

namespace OpenHip.LoadDriver;

/// <summary>
/// The SQLite store's dialect as far as search SQL goes ("@" + name placeholders, epoch milliseconds), restated here
/// because the store's own is internal; the search scenario uses it to rebuild the statements the server runs.
/// </summary>
internal sealed class BenchSqlDialect : ISqlDialect
{
    public static readonly BenchSqlDialect Instance = new();

    public string Name => "sqlite";

    public string CreateMigrationsTableSql => throw new NotSupportedException("the driver only reads");

    public string? MigrationLockSql => null;

    public string Parameter(string name) => "@" + name;

    public string OutboxAfterSql(string commit, string sequence, string max) => throw new NotSupportedException("the driver only searches");

    public string OutboxHeadSql => throw new NotSupportedException("the driver only searches");

    public string ConsumerPositionSql(string consumer) => throw new NotSupportedException("the driver only searches");

    public object ToDbTimestamp(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
}
