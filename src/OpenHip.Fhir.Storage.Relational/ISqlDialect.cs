using OpenHip.Fhir.Storage.Relational.Reading;

namespace OpenHip.Fhir.Storage.Relational;

/// <summary>
/// The few places where relational stores differ in SQL. It starts with what the migration runner needs and
/// grows with the shared search SQL builder, so SQLite and PostgreSQL keep one code path.
/// </summary>
public interface ISqlDialect
{
    /// <summary>Short name for messages, e.g. "sqlite".</summary>
    string Name { get; }

    /// <summary>Creates <c>schema_migrations(version, name, applied_at)</c> when it is missing; must be idempotent.</summary>
    string CreateMigrationsTableSql { get; }

    /// <summary>
    /// Run first inside each migration transaction so that concurrent starters apply a migration once
    /// (PostgreSQL: an advisory transaction lock); null when opening the transaction already serializes writers.
    /// </summary>
    string? MigrationLockSql { get; }

    /// <summary>The parameter placeholder for <paramref name="name"/> as it appears in SQL text.</summary>
    string Parameter(string name);

    /// <summary>
    /// The inner-join keyword for a join whose written order must be kept: SQLite has no statistics to choose an order
    /// well and keeps the order of a CROSS JOIN; PostgreSQL plans from its statistics and rejects CROSS JOIN ... ON.
    /// </summary>
    string OrderedJoin => "CROSS JOIN";

    /// <summary>
    /// Outbox rows after a position (<paramref name="commit"/>, <paramref name="sequence"/> are parameter placeholders),
    /// in outbox order, at most <paramref name="max"/>, as (seq, type, id, version, method, last_updated, commit key),
    /// leaving out any row that a transaction still in flight could precede (see <see cref="OutboxPosition"/>).
    /// </summary>
    string OutboxAfterSql(string commit, string sequence, string max);

    /// <summary>The (commit key, seq) of the newest row <see cref="OutboxAfterSql"/> would return now; no row when empty.</summary>
    string OutboxHeadSql { get; }

    /// <summary>A consumer's stored (commit key, seq); no row when it never stored one.</summary>
    string ConsumerPositionSql(string consumer);

    /// <summary>
    /// A FROM item named <paramref name="rowAlias"/> with one text column <c>value</c>, one row per string of the JSON array
    /// bound to <paramref name="placeholder"/>: a code set of any size binds as one value, under SQLite's limit on bound
    /// parameters.
    /// </summary>
    string JsonStrings(string placeholder, string rowAlias) => $"json_each({placeholder}) {rowAlias}";

    /// <summary>
    /// A FROM item named <paramref name="rowAlias"/> with columns <c>type</c>, <c>id</c> and <c>version</c>, one row per key,
    /// and the values it binds (parameters named from <paramref name="prefix"/>): any number of keys as a fixed number of
    /// values, so a page of version reads is one statement. SQLite reads one JSON array of [type, id, version] triples.
    /// </summary>
    (string FromItem, KeyValuePair<string, object?>[] Parameters) VersionKeys(IReadOnlyList<VersionKey> keys, string prefix, string rowAlias)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return (
            $"(SELECT json_extract(value, '$[0]') AS type, json_extract(value, '$[1]') AS id, json_extract(value, '$[2]') AS version FROM json_each({Parameter(prefix)})) {rowAlias}",
            [new(prefix, VersionKeyArray.Write(keys))]);
    }

    /// <summary>
    /// A condition that <paramref name="column"/> is the search_param id of <paramref name="code"/> on one of
    /// <paramref name="types"/> (a placeholder list for IN (...); null for every type). The arguments are placeholders.
    /// </summary>
    string SearchParameterIds(string column, string? types, string code) =>
        $"{column} IN (SELECT pid FROM search_param WHERE {(types is null ? string.Empty : $"type IN ({types}) AND ")}code = {code})";

    /// <summary>
    /// As <see cref="SearchParameterIds"/> for a single type (<paramref name="type"/> one placeholder), where the parameter
    /// has at most one id.
    /// </summary>
    string SearchParameterId(string column, string type, string code) => SearchParameterIds(column, type, code);

    /// <summary>
    /// A search statement as sent: planned for the values bound on every execution, also once the provider keeps it
    /// prepared. Its result is the statement's, whatever the dialect adds around it.
    /// </summary>
    string PlannedPerExecution(string statement) => statement;

    /// <summary>
    /// A search statement that stops after a page of rows (a page, an include step) as sent: as
    /// <see cref="PlannedPerExecution"/>, with whatever else the dialect sets for such a statement alone. Its result is the
    /// statement's.
    /// </summary>
    string PagePlannedPerExecution(string statement) => PlannedPerExecution(statement);

    /// <summary>
    /// FROM items joining the FROM item <paramref name="rows"/> (a column <c>rid</c>) to the resource_current row of
    /// each rid, named <paramref name="resourceAlias"/>, in that order whatever the planner estimates: the rids drive and each
    /// resource is sought by its key. Null when the dialect already drives a statement from its first
    /// <c>rid IN (...)</c>, as SQLite does (it has no statistics that could mislead it).
    /// </summary>
    string? ResourcesOfRows(string rows, string resourceAlias) => null;

    /// <summary>The values of <paramref name="column"/> over a group joined by single spaces (null for no rows).</summary>
    string SpaceSeparated(string column) => $"group_concat({column}, ' ')";

    /// <summary>The database value for an instant, in the representation this dialect's schema uses.</summary>
    object ToDbTimestamp(DateTimeOffset value);
}
