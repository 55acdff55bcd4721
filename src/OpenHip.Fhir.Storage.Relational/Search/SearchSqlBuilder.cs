using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// Builds the statements of a search for any store that keeps the shared relational schema (see
/// <see cref="IndexTables"/>). Result rows: the resource columns of <see cref="ResourceColumns"/> (ordinals 0–6),
/// the row id (7), then one value per sort key.
/// </summary>
public sealed class SearchSqlBuilder(ISqlDialect dialect, TimeProvider time, IKnownParameterIds? knownIds = null)
{
    /// <summary>type, id, version, last_updated, deleted, method, json of the version row alias <c>v</c>.</summary>
    public const string ResourceColumns = "v.type, v.id, v.version, v.last_updated, v.deleted, v.method, v.json";

    public const int RidOrdinal = 7;

    public const int FirstSortOrdinal = 8;

    /// <summary>One page: <see cref="SearchQuery.Count"/> + 1 rows in the direction of the cursor, so the caller knows whether more follow.</summary>
    /// <param name="closures">Whether each <c>:below</c> closure lookup of the filter answers (<see cref="ClosureStates"/>), when read.</param>
    public CompiledSql BuildPage(SearchQuery query, IReadOnlyDictionary<ClosureLookup, bool>? closures = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new SqlParameters(dialect);
        var filters = new FilterSqlCompiler(parameters, time, closures);
        var sort = new SortSql(parameters, filters);
        SearchCursor? cursor = query.Cursor is null ? null : SearchCursor.Decode(query.Cursor, query.Sort.Count);
        bool backward = cursor?.Backward == true;
        if (query.Sort.Count == 0 && LoneChain(query.Filter) is { } chain && dialect.ResourcesOfRows("d", "c") is { } resources)
        {
            return BuildChainPage(query, chain, resources, cursor, parameters, filters, sort);
        }

        string sortColumns = string.Concat(query.Sort.Select((key, i) => $", {sort.Expression(key, "c", query.Types)} AS s{i}"));
        string sortNames = string.Concat(query.Sort.Select((_, i) => $", s{i}"));
        string keyset = cursor is null ? string.Empty : " WHERE " + sort.Keyset(query.Sort, cursor);
        string innerOrder = SortSql.OrderBy(query.Sort, backward);
        string outerOrder = SortSql.OrderBy(query.Sort, backward, "q.");

        string text =
            $"SELECT {ResourceColumns}, q.rid{string.Concat(query.Sort.Select((_, i) => $", q.s{i}"))} FROM ("
            + $"SELECT rid{sortNames} FROM (SELECT c.rid AS rid{sortColumns} FROM resource_current c WHERE {Where(query, "c", filters, parameters)}) k"
            + $"{keyset} ORDER BY {innerOrder} LIMIT {parameters.Add((long)query.Count + 1)}"
            + ") q JOIN resource_current c ON c.rid = q.rid JOIN resource_version v ON v.seq = c.seq"
            + $" ORDER BY {outerOrder}";
        return new CompiledSql(text, parameters.Values);
    }

    /// <summary>
    /// A page in rid order whose whole filter is one chain, on a dialect that lets rids drive (<see cref="ISqlDialect.ResourcesOfRows"/>):
    /// the chain's rids are collected and sorted first, then resources are read in that order until the page is full.
    /// </summary>
    /// <remarks>
    /// The chain's rid set is complete only once every target has been read (an organization's ~3,000 Patients and their
    /// ~4,000 Observations for T4 of issue #4), so no plan can stop it early; what can stop early is reading each resource's
    /// row. PostgreSQL estimates a lookup by target id at one row whatever the target, so as a plain <c>rid IN (...)</c> it
    /// reads every matching resource's row and sorts them for the page: 5,413 index probes where 51 answer.
    /// </remarks>
    private static CompiledSql BuildChainPage(
        SearchQuery query, ChainExpression chain, string resources, SearchCursor? cursor, SqlParameters parameters, FilterSqlCompiler filters, SortSql sort)
    {
        bool backward = cursor?.Backward == true;
        string order = backward ? " DESC" : string.Empty;
        string keyset = cursor is null ? string.Empty : " WHERE " + sort.Keyset(query.Sort, cursor);
        string rows = filters.ChainRows(chain, query.Types);
        string text =
            $"SELECT {ResourceColumns}, q.rid FROM ("
            + $"SELECT d.rid FROM (SELECT DISTINCT m.rid FROM ({rows}) m{keyset} ORDER BY m.rid{order}) d {resources} "
            + $"WHERE {Where(query with { Filter = null }, "c", filters, parameters)} ORDER BY d.rid{order} LIMIT {parameters.Add((long)query.Count + 1)}"
            + ") q JOIN resource_current c ON c.rid = q.rid JOIN resource_version v ON v.seq = c.seq"
            + $" ORDER BY {SortSql.OrderBy(query.Sort, backward, "q.")}";
        return new CompiledSql(text, parameters.Values);
    }

    private static ChainExpression? LoneChain(SearchExpression? filter) => filter switch
    {
        ChainExpression chain => chain,
        AndExpression { Operands: [var only] } => LoneChain(only),
        _ => null,
    };

    /// <summary>
    /// A conditional interaction's lookup: current resources matching the criteria, as rows of <see cref="BuildPage"/>
    /// without sort values, in rid order; at most <see cref="TokenQuery.Limit"/> rows, or one more when the dialect
    /// drives nothing itself (<see cref="ISqlDialect.ResourcesOfRows"/>) and the lookup is an ordinary search page.
    /// </summary>
    public CompiledSql BuildTokenLookup(TokenQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Conditional criteria name one resource (more matches fail the interaction), so the index rows of a clause with
        // a code in every value drive, a clause with system and code (an identifier) first. An _id clause drives better
        // through the (type, id) key; a value without a code (system|) may match every resource of the type, where
        // walking the type until the limit is cheaper.
        TokenClause? driving = query.Clauses.Any(c => c.Parameter == "_id")
            ? null
            : query.Clauses.Where(c => c.AnyOf.Count > 0 && c.AnyOf.All(v => v.Code is not null))
                .OrderBy(c => c.AnyOf.All(v => !string.IsNullOrEmpty(v.System)) ? 0 : 1)
                .FirstOrDefault();
        string? resources = dialect.ResourcesOfRows("d", "c");
        if (driving is null || resources is null)
        {
            return BuildPage(TokenSearch.ToSearchQuery(query));
        }

        var parameters = new SqlParameters(dialect);
        // Known parameter ids go in as bound values: the statement's shape already fixes its plan, so the database can
        // plan it once per connection and reuse it, where an id looked up while planning forces a new plan per call.
        // Searches keep the lookup (their plans follow the parameter's statistics).
        var filters = new FilterSqlCompiler(parameters, time, knownIds: knownIds);
        IReadOnlyList<string> types = [query.Type];
        string rows = filters.MatchingRows(TokenSearch.Leaves(driving), types);
        string checks = string.Concat(query.Clauses.Where(c => !ReferenceEquals(c, driving))
            .Select(c => " AND " + filters.Check(TokenSearch.ToExpression(c), "c", types)));
        string text = $"SELECT {ResourceColumns}, c.rid FROM (SELECT DISTINCT m.rid FROM ({rows}) m) d {resources} "
            + $"JOIN resource_version v ON v.seq = c.seq WHERE c.deleted = 0 AND c.type = {parameters.Add(query.Type)}{checks} "
            + $"ORDER BY c.rid LIMIT {parameters.Add((long)query.Limit)}";
        return new CompiledSql(text, parameters.Values);
    }

    public CompiledSql BuildCount(SearchQuery query, IReadOnlyDictionary<ClosureLookup, bool>? closures = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new SqlParameters(dialect);
        var filters = new FilterSqlCompiler(parameters, time, closures);
        return new CompiledSql($"SELECT COUNT(*) FROM resource_current c WHERE {Where(query, "c", filters, parameters)}", parameters.Values);
    }

    /// <summary>
    /// One include step. Keys are grouped by type so each group is an IN list the (type, id) and reference
    /// indexes can seek.
    /// </summary>
    public CompiledSql BuildInclude(IncludeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new SqlParameters(dialect);
        var filters = new FilterSqlCompiler(parameters, time);
        string pids = request.Parameter is null
            ? $"r.pid IN (SELECT pid FROM search_param WHERE type = {parameters.Add(request.SourceType)})"
            : filters.ParameterIds("r.pid", [request.SourceType], request.Parameter);

        string matches;
        if (request.Reverse)
        {
            string targets = KeyGroups(request.Resources, parameters, "r.target_type", "r.target_id");
            matches = $"SELECT r.rid FROM ix_reference r WHERE {pids} AND r.url IS NULL AND ({targets})";
        }
        else
        {
            var sources = request.Resources.Where(k => k.Type == request.SourceType).Select(k => (object)k.Id).ToList();
            string sourceIds = sources.Count == 0 ? "1 = 0" : $"s.type = {parameters.Add(request.SourceType)} AND s.id IN ({parameters.AddList(sources)})";
            string targetType = request.TargetType is null ? string.Empty : $" AND t.type = {parameters.Add(request.TargetType)}";
            matches = "SELECT t.rid FROM ix_reference r JOIN resource_current s ON s.rid = r.rid "
                + "JOIN resource_current t ON t.type = r.target_type AND t.id = r.target_id "
                + $"WHERE {sourceIds} AND {pids} AND r.url IS NULL{targetType}";
        }

        string typeFilter = request.Reverse ? $" AND c.type = {parameters.Add(request.SourceType)}" : string.Empty;
        IReadOnlyList<string> resultTypes = request.Reverse ? [request.SourceType] : request.TargetType is null ? [] : [request.TargetType];
        string access = request.Filter is null ? string.Empty : $" AND ({filters.Compile(request.Filter, "c", resultTypes)})";
        string text = $"SELECT {ResourceColumns}, c.rid FROM resource_current c JOIN resource_version v ON v.seq = c.seq "
            + $"WHERE c.deleted = 0{typeFilter} AND c.rid IN ({matches}){access} ORDER BY c.rid LIMIT {parameters.Add((long)request.Limit)}";
        return new CompiledSql(text, parameters.Values);
    }

    /// <summary>
    /// The access part of a history query over the version alias <c>v</c>: the caller's types, and versions only of
    /// resources whose current version meets the caller's condition. Null when the query has neither.
    /// </summary>
    public CompiledSql? BuildHistoryAccess(HistoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Types is null && query.Visible is null)
        {
            return null;
        }

        var parameters = new SqlParameters(dialect);
        var filters = new FilterSqlCompiler(parameters, time);
        var parts = new List<string>(2);
        if (query.Types is { } types)
        {
            parts.Add(types.Count == 0 ? "1 = 0" : $"v.type IN ({parameters.AddList(types)})");
        }

        if (query.Visible is { } visible)
        {
            IReadOnlyList<string> scope = query.Type is null ? query.Types ?? [] : [query.Type];
            parts.Add($"EXISTS (SELECT 1 FROM resource_current c WHERE c.type = v.type AND c.id = v.id AND c.deleted = 0 AND ({filters.Compile(visible, "c", scope)}))");
        }

        return new CompiledSql(string.Join(" AND ", parts), parameters.Values);
    }

    /// <summary>Cursors for the page read with <see cref="BuildPage"/>: rows as read (Count + 1 at most, in the walk's direction).</summary>
    public static SearchPage ToPage(SearchQuery query, IReadOnlyList<(StoredResource Resource, long Rid, object?[] SortValues)> rows, long? total)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        SearchCursor? cursor = query.Cursor is null ? null : SearchCursor.Decode(query.Cursor, query.Sort.Count);
        bool backward = cursor?.Backward == true;
        bool more = rows.Count > query.Count;
        var page = rows.Take(query.Count).ToList();
        if (backward)
        {
            page.Reverse();
        }

        string? next = null;
        string? previous = null;
        if (page.Count > 0)
        {
            (StoredResource _, long firstRid, object?[] firstValues) = page[0];
            (StoredResource _, long lastRid, object?[] lastValues) = page[^1];
            if (backward ? cursor is not null : more)
            {
                next = new SearchCursor(false, lastRid, lastValues).Encode();
            }

            if (backward ? more : cursor is not null)
            {
                previous = new SearchCursor(true, firstRid, firstValues).Encode();
            }
        }

        return new SearchPage([.. page.Select(r => r.Resource)], total, next, previous);
    }

    private static string Where(SearchQuery query, string alias, FilterSqlCompiler filters, SqlParameters parameters)
    {
        string where = $"{alias}.deleted = 0";
        if (query.Types.Count > 0)
        {
            where += $" AND {alias}.type IN ({parameters.AddList(query.Types)})";
        }

        return query.Filter is null ? where : $"{where} AND {filters.CompileFilter(query.Filter, alias, query.Types)}";
    }

    private static string KeyGroups(IReadOnlyList<ResourceKey> keys, SqlParameters parameters, string typeColumn, string idColumn)
    {
        var groups = keys.GroupBy(k => k.Type, StringComparer.Ordinal)
            .Select(g => $"({idColumn} IN ({parameters.AddList(g.Select(k => (object)k.Id))}) AND {typeColumn} = {parameters.Add(g.Key)})")
            .ToList();
        return groups.Count == 0 ? "1 = 0" : string.Join(" OR ", groups);
    }
}
