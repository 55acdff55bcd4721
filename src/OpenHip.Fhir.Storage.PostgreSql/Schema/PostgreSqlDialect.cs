using OpenHip.Fhir.Storage.Relational;

namespace OpenHip.Fhir.Storage.PostgreSql.Schema;

internal sealed class PostgreSqlDialect : ISqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    /// <summary>The advisory lock key every OpenHIP schema change takes ("OHIPMIGR" as a 64-bit number).</summary>
    public const long MigrationLockKey = 0x4F4849504D494752;

    public string Name => "postgresql";

    // Several nodes may start at once: CREATE TABLE IF NOT EXISTS alone can still collide in the catalog, so the
    // creation runs under the same advisory lock as the migrations, in one implicit transaction.
    public string CreateMigrationsTableSql =>
        $"""
        DO $$
        BEGIN
            PERFORM pg_advisory_xact_lock({MigrationLockKey});
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text    NOT NULL,
                applied_at bigint  NOT NULL -- unix epoch milliseconds, UTC
            );
        END
        $$;
        """;

    public string? MigrationLockSql => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public string Parameter(string name) => "@" + name;

    // The planner orders joins from its statistics; CROSS JOIN ... ON is not PostgreSQL syntax.
    public string OrderedJoin => "JOIN";

    // Rows are ordered by the writing transaction's id: every transaction older than the snapshot's xmin has ended,
    // so a row below it can no longer be preceded by one that commits later (a sequence number can: it is taken before
    // the commit). The reader's statement holds no transaction id of its own.
    private const string Settled = "commit_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    public string OutboxAfterSql(string commit, string sequence, string max) =>
        $"""
        SELECT seq, type, id, version, method, last_updated, commit_xid FROM outbox
        WHERE (commit_xid, seq) > ({commit}, {sequence}) AND {Settled}
        ORDER BY commit_xid, seq LIMIT {max}
        """;

    public string OutboxHeadSql => $"SELECT commit_xid, seq FROM outbox WHERE {Settled} ORDER BY commit_xid DESC, seq DESC LIMIT 1";

    public string ConsumerPositionSql(string consumer) => $"SELECT commit_xid, position FROM consumer_position WHERE consumer = {consumer}";

    // An IN (subquery) on search_param hides which parameter a lookup is for: the planner then estimates every index
    // lookup from the whole table (36,200 Observations of a code taken for ~900) and drives queries from the wrong side.
    // search_param_ids (migration 5) is IMMUTABLE, so with the values bound it folds to a constant id list while the
    // statement is planned, and the per-parameter statistics apply.
    public string SearchParameterIds(string column, string? types, string code) =>
        $"{column} = ANY (search_param_ids({(types is null ? "NULL" : $"ARRAY[{types}]")}, {code}))";

    // One type has at most one id: as a scalar (migration 6) it folds to "pid = 81", which an index led by pid can serve in
    // the order of its next column, so the planner may walk a parameter's rows in rid order and merge them with the
    // resources of the type; "pid = ANY ('{81}')" gives it no order.
    public string SearchParameterId(string column, string type, string code) => $"{column} = search_param_id({type}, {code})";

    // A prepared statement runs PostgreSQL's generic plan after five executions when that plan's estimate is no worse, and
    // for a search it is estimated blind: search_param_id(s) is not folded and a code's frequency is unknown, so the
    // estimates come out small and win, and the plan collects every row of a common code (T3: 230-770 ms where the custom
    // plan takes under 10). Search statements are therefore planned per execution; the write path's stay generic. RESET
    // rather than relying on the pool's reset, so nothing of this outlives the statement whatever the connection settings.
    public string PlannedPerExecution(string statement) => $"SET plan_cache_mode = force_custom_plan; {statement}; RESET plan_cache_mode";

    // A statement cut at a page (LIMIT) should be able to stop early: a walk in rid order stops at the page, a hash join
    // reads both its inputs whole before its first row. The planner takes the hash join when it expects fewer matches than
    // the page, and for a search over one type's index rows it expects far too few: it divides a lookup's rows by the rids of
    // every type, where they all belong to the one searched (at 1,000,000 resources a code's 36,200 Observations joined to
    // the Observations were estimated at 6,090, and with a late date 51 where 2,918 match). So a search on a code and a late
    // day hashed every Observation for a page (T3 of issue #4: 41-178 ms serial, where the walk takes 2-13 ms). Without hash
    // joins it still has the merge and nested loops, and a set too large for them still gets a hash join, only dearer.
    // Parallel workers pay off only in such whole-set plans, and on a 2-core host they competed with the server for the
    // cores (150-450 ms against 80-200 ms serial). Counts keep the operator's settings: they read every match anyway. A
    // statement that fails rolls its SETs back with its implicit transaction.
    public string PagePlannedPerExecution(string statement) =>
        "SET plan_cache_mode = force_custom_plan; SET enable_hashjoin = off; SET max_parallel_workers_per_gather = 0; "
        + $"{statement}; RESET max_parallel_workers_per_gather; RESET enable_hashjoin; RESET plan_cache_mode";

    // A join or IN leaves the order to the statistics, which lag behind a young, growing database: a type absent at the
    // last ANALYZE is estimated at one row, so the planner walks every resource of the type and probes the token index
    // per row, and each conditional create scans its type. A LATERAL subquery that cannot be flattened (OFFSET 0) can
    // only run once per outer row, so the rids drive.
    public string? ResourcesOfRows(string rows, string resourceAlias) =>
        $"CROSS JOIN LATERAL (SELECT r.rid, r.type, r.id, r.seq, r.deleted FROM resource_current r WHERE r.rid = {rows}.rid OFFSET 0) {resourceAlias}";

    // Three arrays bind as three values whatever the number of keys; each key then finds its row by the unique
    // (type, id, version) index.
    public (string FromItem, KeyValuePair<string, object?>[] Parameters) VersionKeys(IReadOnlyList<VersionKey> keys, string prefix, string rowAlias)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string[] types = new string[keys.Count];
        string[] ids = new string[keys.Count];
        long[] versions = new long[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            (types[i], ids[i], versions[i]) = keys[i];
        }

        return (
            $"unnest(CAST({Parameter(prefix + "_types")} AS text[]), CAST({Parameter(prefix + "_ids")} AS text[]), CAST({Parameter(prefix + "_versions")} AS bigint[])) AS {rowAlias}(type, id, version)",
            [new(prefix + "_types", types), new(prefix + "_ids", ids), new(prefix + "_versions", versions)]);
    }

    public string SpaceSeparated(string column) => $"string_agg({column}, ' ')";

    public string JsonStrings(string placeholder, string rowAlias) =>
        $"jsonb_array_elements_text(CAST({placeholder} AS jsonb)) AS {rowAlias}(value)";

    public object ToDbTimestamp(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
}
