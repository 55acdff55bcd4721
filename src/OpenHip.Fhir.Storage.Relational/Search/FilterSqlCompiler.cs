using System.Globalization;
using OpenHip.Fhir.Errors;
using OpenHip.Fhir.Search.Expressions;
using OpenHip.Fhir.Search.Terminology;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// Compiles a search expression into a SQL condition over one resource_current row alias. Only fixed fragments
/// are concatenated; every value goes through <see cref="SqlParameters"/>.
/// </summary>
/// <remarks>
/// Selective equality leaves (token, reference, string, uri, id, compartment) become <c>rid IN (subquery)</c>, which
/// the planner can use to drive the query; range leaves (date, number, quantity, :contains) become correlated
/// EXISTS, checked per candidate, because materialising "every date after 2020" would cost more than the query.
/// </remarks>
/// <param name="closures">
/// For the <c>:below</c> closure lookups whose state was read before the statement: whether the rows answer. A lookup not
/// in it is answered by its code set.
/// </param>
internal sealed class FilterSqlCompiler(
    SqlParameters parameters, TimeProvider time, IReadOnlyDictionary<ClosureLookup, bool>? closures = null, IKnownParameterIds? knownIds = null)
{
    private int _aliases;
    private bool _driveRanges;

    // Set while compiling the later operands of an AND: the first (most selective) one drives through its index, the
    // others are checked per candidate row with EXISTS instead of being materialised in full.
    private bool _checkOnly;

    /// <summary>
    /// The condition for a whole query filter. When nothing in it can drive the query (only dates, numbers,
    /// quantities), its first range leaf drives instead of being checked row by row over the whole type.
    /// </summary>
    public string CompileFilter(SearchExpression expression, string alias, IReadOnlyList<string> types)
    {
        SearchExpression? range = HasDriver(expression) ? null : FirstRangeLeaf(expression);
        if (range is null)
        {
            return Compile(expression, alias, types);
        }

        IEnumerable<SearchExpression> rest = expression is AndExpression and ? and.Operands.Where(o => !ReferenceEquals(o, range)) : [];
        _driveRanges = true;
        string driver = Compile(range, alias, types);
        _driveRanges = false;
        return Join(rest.Select(o => Compile(o, alias, types)).Prepend(driver), "AND", "1 = 1");
    }

    public string Compile(SearchExpression expression, string alias, IReadOnlyList<string> types) => expression switch
    {
        AndExpression and => CompileAnd(and, alias, types),
        OrExpression or => CompileOr(or, alias, types),
        NotExpression not => $"NOT ({CheckOnly(not.Operand, alias, types)})",
        IdExpression id => id.Ids.Count == 0 ? "1 = 0" : $"{alias}.id IN ({parameters.AddList(id.Ids)})",
        LastUpdatedExpression updated => PointCondition($"{alias}.last_updated", updated.Prefix, Millis(updated.Low), Millis(updated.High)),
        CompartmentExpression compartment when _checkOnly && !_driveRanges =>
            $"EXISTS (SELECT 1 FROM compartment {Next(out string m)} WHERE {m}.type = {alias}.type AND {m}.id = {alias}.id AND {m}.patient_id = {parameters.Add(compartment.PatientId)})",
        CompartmentExpression compartment =>
            $"{alias}.rid IN (SELECT {Next(out string t)}.rid FROM compartment {Next(out string m)} "
            + $"JOIN resource_current {t} ON {t}.type = {m}.type AND {t}.id = {m}.id WHERE {m}.patient_id = {parameters.Add(compartment.PatientId)})",
        CompartmentSetExpression set => CompileCompartmentSet(set, alias),
        ResourceTypeExpression resourceType => resourceType.Types.Count == 0 ? "1 = 0" : $"{alias}.type IN ({parameters.AddList(resourceType.Types)})",
        MissingExpression missing => CompileMissing(missing, alias, types),
        CompositeExpression composite => CompileComposite(composite, alias, types),
        ChainExpression chain => CompileChain(chain, alias, types),
        ReverseChainExpression reverse => CompileReverseChain(reverse, alias),
        TokenSetExpression set => CompileTokenSet(set, alias, types),
        _ => CompileLeaves([expression], alias, types),
    };

    private string CompileAnd(AndExpression and, string alias, IReadOnlyList<string> types)
    {
        bool outer = _checkOnly;
        var parts = new List<string>(and.Operands.Count);
        foreach (SearchExpression operand in MostSelectiveFirst(and.Operands))
        {
            parts.Add(Compile(operand, alias, types));
            _checkOnly = true;
        }

        _checkOnly = outer;
        return Join(parts, "AND", "1 = 1");
    }

    /// <summary>The condition selecting search_param ids of <paramref name="code"/> on the types (all types when empty).</summary>
    public string ParameterIds(string column, IReadOnlyList<string> types, string code)
    {
        if (knownIds is not null && types.Count == 1 && knownIds.TryGet(types[0], code, out int pid))
        {
            return $"{column} = {parameters.Add(pid)}";
        }

        return types.Count switch
        {
            0 => parameters.Dialect.SearchParameterIds(column, null, parameters.Add(code)),
            1 => parameters.Dialect.SearchParameterId(column, parameters.Add(types[0]), parameters.Add(code)),
            _ => parameters.Dialect.SearchParameterIds(column, parameters.AddList(types), parameters.Add(code)),
        };
    }

    // ORs of leaves on one parameter (the commas of one query parameter) share one index lookup.
    private string CompileOr(OrExpression or, string alias, IReadOnlyList<string> types)
    {
        if (or.Operands.Count > 0 && or.Operands.All(IsLeaf) && or.Operands.Select(LeafKey).Distinct().Count() == 1)
        {
            return CompileLeaves(or.Operands, alias, types);
        }

        return Join(or.Operands.Select(o => Compile(o, alias, types)), "OR", "1 = 0");
    }

    private string CompileLeaves(IReadOnlyList<SearchExpression> leaves, string alias, IReadOnlyList<string> types)
    {
        SearchExpression first = leaves[0];
        string table = IndexTables.For(IndexTables.KindOf(first));
        string x = Next(out _);
        string pids = ParameterIds($"{x}.pid", types, ParameterOf(first));
        if (_driveRanges || (Drives(first) && !_checkOnly))
        {
            return $"{alias}.rid IN ({Branches(leaves, table, x, pids)})";
        }

        string values = Join(leaves.Select(l => RowCondition(l, x)), "OR", "1 = 0");
        return $"EXISTS (SELECT 1 FROM {table} {x} WHERE {x}.rid = {alias}.rid AND {pids} AND ({values}))";
    }

    /// <summary>
    /// The rids of the index rows matching any of <paramref name="leaves"/> (an OR on one parameter, as a query parameter's
    /// commas), as a subquery that may repeat a rid: for a caller that drives a statement from them itself.
    /// </summary>
    public string MatchingRows(IReadOnlyList<SearchExpression> leaves, IReadOnlyList<string> types)
    {
        SearchExpression first = leaves[0];
        string x = Next(out _);
        return Branches(leaves, IndexTables.For(IndexTables.KindOf(first)), x, ParameterIds($"{x}.pid", types, ParameterOf(first)));
    }

    /// <summary>The condition for <paramref name="expression"/> checked per candidate row of <paramref name="alias"/>, never driving.</summary>
    public string Check(SearchExpression expression, string alias, IReadOnlyList<string> types) => CheckOnly(expression, alias, types);

    // One branch per value: an index on (pid, value, ...) is sought once per branch. Under one
    // "pid AND (v1 OR v2 ...)" SQLite can only seek the pid and then reads every row of the parameter.
    private string Branches(IReadOnlyList<SearchExpression> leaves, string table, string x, string pids) =>
        string.Join(" UNION ALL ", leaves.Select(l => $"SELECT {x}.rid FROM {table} {x} WHERE {pids} AND ({RowCondition(l, x)})"));

    /// <summary>A resolved terminology set: its <c>:below</c> closure rows when they answer, else its codes.</summary>
    private string CompileTokenSet(TokenSetExpression set, string alias, IReadOnlyList<string> types)
    {
        bool drive = _driveRanges || !_checkOnly;

        // :below over the closure rows: one (pid, code, system) range of the token index, as cheap as a plain token search
        // whatever the subtree's size. They answer only while the store records them complete for the hierarchy the
        // search was resolved against (read before the statement, in its snapshot: see ClosureStates); otherwise (a
        // hierarchy changed and its resources are being reindexed, or never were) the resolved code set does. When the
        // rows answer, the code set is never resolved.
        if (set.Closure is { } closure && closures is not null && closures.TryGetValue(closure, out bool complete) && complete)
        {
            string x = Next(out _);
            string row = $"{ParameterIds($"{x}.pid", types, set.Parameter + TokenClosure.Suffix)} "
                + $"AND {x}.code = {parameters.Add(closure.Code)} AND {x}.system = {parameters.Add(closure.System)}";
            return drive
                ? $"{alias}.rid IN (SELECT {x}.rid FROM ix_token {x} WHERE {row})"
                : $"EXISTS (SELECT 1 FROM ix_token {x} WHERE {x}.rid = {alias}.rid AND {row})";
        }

        List<string> parts = CodeSetParts(set, alias, types, drive);
        if (parts.Count == 0)
        {
            return "1 = 0";
        }

        return drive ? $"{alias}.rid IN ({string.Join(" UNION ALL ", parts)})" : string.Join(" OR ", parts.Select(p => $"EXISTS ({p})"));
    }

    /// <summary>
    /// A resolved terminology set, one part per code system: its codes arrive as one JSON array parameter (no bound value
    /// per code). Driving, each code is one seek into the token index; checking a candidate, the codes form a list the
    /// database builds once and probes per row.
    /// </summary>
    private List<string> CodeSetParts(TokenSetExpression set, string alias, IReadOnlyList<string> types, bool drive)
    {
        string x = Next(out _);
        string j = Next(out _);
        string pids = ParameterIds($"{x}.pid", types, set.Parameter);
        var parts = new List<string>();
        foreach (IGrouping<string, CodeToken> system in set.Tokens.GroupBy(t => t.System, StringComparer.Ordinal))
        {
            string codes = parameters.Dialect.JsonStrings(parameters.Add(JsonStringArray.Write(system.Select(t => t.Code))), j);
            string systemValue = parameters.Add(system.Key);
            parts.Add(drive
                ? $"SELECT {x}.rid FROM {codes} {parameters.Dialect.OrderedJoin} ix_token {x} ON {x}.code = {j}.value AND {x}.system = {systemValue} WHERE {pids}"
                : $"SELECT 1 FROM ix_token {x} WHERE {x}.rid = {alias}.rid AND {pids} AND {x}.system = {systemValue} AND {x}.code IN (SELECT {j}.value FROM {codes})");
        }

        return parts;
    }

    /// <summary>Many residents' compartments (consent): the ids arrive as one JSON array parameter, like a token set's codes.</summary>
    private string CompileCompartmentSet(CompartmentSetExpression set, string alias)
    {
        if (set.PatientIds.Count == 0)
        {
            return "1 = 0";
        }

        string ids = parameters.Dialect.JsonStrings(parameters.Add(JsonStringArray.Write(set.PatientIds)), Next(out string j));
        if (_checkOnly && !_driveRanges)
        {
            // Checking one candidate (a consent restriction beside an id or another driver): one seek into the
            // compartment key, instead of materialising every member of every listed compartment.
            return $"EXISTS (SELECT 1 FROM compartment {Next(out string c)} WHERE {c}.type = {alias}.type AND {c}.id = {alias}.id "
                + $"AND {c}.patient_id IN (SELECT {j}.value FROM {ids}))";
        }

        return $"{alias}.rid IN (SELECT {Next(out string t)}.rid FROM compartment {Next(out string m)} "
            + $"JOIN resource_current {t} ON {t}.type = {m}.type AND {t}.id = {m}.id WHERE {m}.patient_id IN (SELECT {j}.value FROM {ids}))";
    }

    private string CompileMissing(MissingExpression missing, string alias, IReadOnlyList<string> types)
    {
        if (missing.Kind == IndexKind.Composite)
        {
            throw FhirException.NotSupported($"':missing' is not supported on the composite parameter '{missing.Parameter}'.");
        }

        string exists = Exists(IndexTables.For(missing.Kind));

        // A reference given only by Reference.identifier is present too; its value lives in the token index.
        if (missing.Kind == IndexKind.Reference)
        {
            exists = $"({exists} OR {Exists("ix_token")})";
        }

        return missing.Missing ? "NOT " + exists : exists;

        string Exists(string table)
        {
            string x = Next(out _);
            return $"EXISTS (SELECT 1 FROM {table} {x} WHERE {x}.rid = {alias}.rid AND {ParameterIds($"{x}.pid", types, missing.Parameter)})";
        }
    }

    // One stored combination must satisfy every component: the component rows share the resource and its group.
    private string CompileComposite(CompositeExpression composite, string alias, IReadOnlyList<string> types)
    {
        var from = new List<string>();
        var where = new List<string>();
        string? firstAlias = null;
        foreach (SearchExpression component in composite.Components)
        {
            IReadOnlyList<SearchExpression> alternatives = component is OrExpression any ? any.Operands : [component];
            string x = Next(out _);
            string table = IndexTables.For(IndexTables.KindOf(alternatives[0]));
            if (firstAlias is null)
            {
                from.Add($"{table} {x}");
                where.Add($"{x}.rid = {alias}.rid");
                firstAlias = x;
            }
            else
            {
                from.Add($"JOIN {table} {x} ON {x}.rid = {firstAlias}.rid AND {x}.grp = {firstAlias}.grp");
            }

            where.Add(ParameterIds($"{x}.pid", types, composite.Parameter + "$" + ParameterOf(alternatives[0])));
            where.Add("(" + Join(alternatives.Select(a => RowCondition(a, x)), "OR", "1 = 0") + ")");
        }

        return firstAlias is null ? "1 = 1" : $"EXISTS (SELECT 1 FROM {string.Join(" ", from)} WHERE {string.Join(" AND ", where)})";
    }

    // Target first, and an ordered join (SQLite: CROSS JOIN) so SQLite keeps that order without statistics: the chained condition picks a few
    // targets, and each is one (pid, target_id, target_type) seek. Reference rows first would walk every reference of
    // the parameter and probe the target list per row: a cost that grows with the square of the store.
    private string CompileChain(ChainExpression chain, string alias, IReadOnlyList<string> types) => $"{alias}.rid IN ({ChainRows(chain, types)})";

    /// <summary>The rids of the resources of <paramref name="types"/> whose chained reference meets the chain's condition, as a subquery that may repeat a rid.</summary>
    public string ChainRows(ChainExpression chain, IReadOnlyList<string> types)
    {
        string t = Next(out _);
        string r = Next(out _);
        string targetTypes = chain.TargetTypes.Count == 0 ? string.Empty : $" AND {t}.type IN ({parameters.AddList(chain.TargetTypes)})";
        return $"SELECT {r}.rid FROM resource_current {t} {parameters.Dialect.OrderedJoin} ix_reference {r} ON {r}.target_type = {t}.type AND {r}.target_id = {t}.id "
            + $"WHERE {t}.deleted = 0{targetTypes} AND ({Nested(chain.Target, t, chain.TargetTypes)}) "
            + $"AND {ParameterIds($"{r}.pid", types, chain.Parameter)} AND {r}.url IS NULL";
    }

    // Source first for the same reason: the source condition picks the referring resources, then their references.
    private string CompileReverseChain(ReverseChainExpression reverse, string alias)
    {
        string s = Next(out _);
        string r = Next(out _);
        string t = Next(out _);
        IReadOnlyList<string> sourceTypes = [reverse.SourceType];
        return $"{alias}.rid IN (SELECT {t}.rid FROM resource_current {s} {parameters.Dialect.OrderedJoin} ix_reference {r} ON {r}.rid = {s}.rid "
            + $"{parameters.Dialect.OrderedJoin} resource_current {t} ON {t}.type = {r}.target_type AND {t}.id = {r}.target_id "
            + $"WHERE {s}.type = {parameters.Add(reverse.SourceType)} AND {s}.deleted = 0 AND ({Nested(reverse.SourceFilter, s, sourceTypes)}) "
            + $"AND {ParameterIds($"{r}.pid", sourceTypes, reverse.Parameter)} AND {r}.url IS NULL)";
    }

    /// <summary>A negated condition can never drive the query: every part of it is checked per candidate row.</summary>
    private string CheckOnly(SearchExpression expression, string alias, IReadOnlyList<string> types)
    {
        bool outer = _checkOnly;
        _checkOnly = true;
        string sql = Compile(expression, alias, types);
        _checkOnly = outer;
        return sql;
    }

    private string Nested(SearchExpression expression, string alias, IReadOnlyList<string> types)
    {
        bool outer = _checkOnly;
        _checkOnly = false;
        string sql = Compile(expression, alias, types);
        _checkOnly = outer;
        return sql;
    }

    /// <summary>The condition on one index row (alias <paramref name="x"/>) for a leaf.</summary>
    private string RowCondition(SearchExpression leaf, string x) => leaf switch
    {
        StringExpression s => s.Match switch
        {
            StringMatch.Exact => $"{x}.exact = {parameters.Add(s.Value)}",
            StringMatch.Contains => $"{x}.norm LIKE {parameters.Add(IndexTables.ContainsPattern(s.Value))} ESCAPE '\\'",
            _ => Prefix($"{x}.norm", s.Value),
        },
        TokenExpression token => TokenCondition(token, x),
        TokenTextExpression text => Prefix($"{x}.text", text.Text),
        ReferenceExpression reference => ReferenceCondition(reference, x),
        DateExpression date => RangeCondition($"{x}.lo", $"{x}.hi", date.Prefix, Millis(date.Low), Millis(date.High)),
        NumberExpression number => NumberRangeCondition($"{x}.value", $"{x}.high", number),
        QuantityExpression quantity => QuantityCondition(quantity, x),
        UriExpression uri => uri.Match == UriMatch.Below ? Prefix($"{x}.uri", uri.Value) : $"{x}.uri = {parameters.Add(uri.Value)}",
        _ => throw new ArgumentException($"{leaf.GetType().Name} is not an index leaf.", nameof(leaf)),
    };

    private string TokenCondition(TokenExpression token, string x)
    {
        var conditions = new List<string>(2);
        if (token.Code is not null)
        {
            conditions.Add($"{x}.code = {parameters.Add(token.Code)}");
        }

        if (token.System is "")
        {
            conditions.Add($"{x}.system IS NULL");
        }
        else if (token.System is not null)
        {
            conditions.Add($"{x}.system = {parameters.Add(token.System)}");
        }

        return Join(conditions, "AND", $"{x}.code IS NOT NULL");
    }

    private string ReferenceCondition(ReferenceExpression reference, string x)
    {
        if (reference.Url is not null)
        {
            string url = $"{x}.url = {parameters.Add(reference.Url)}";
            return reference.CanonicalVersion is null ? url : $"{url} AND {x}.version = {parameters.Add(reference.CanonicalVersion)}";
        }

        string id = $"{x}.target_id = {parameters.Add(reference.TargetId ?? string.Empty)} AND {x}.url IS NULL";
        return reference.TargetType is null ? id : $"{id} AND {x}.target_type = {parameters.Add(reference.TargetType)}";
    }

    private string QuantityCondition(QuantityExpression quantity, string x)
    {
        if (quantity.Canonical)
        {
            return $"{x}.ccode = {parameters.Add(quantity.Code ?? string.Empty)} AND "
                + NumberCondition($"{x}.cvalue", quantity.Prefix, quantity.Value, quantity.Low, quantity.High);
        }

        var conditions = new List<string>(3);
        if (quantity.System is not null)
        {
            conditions.Add($"{x}.system = {parameters.Add(quantity.System)}");
        }

        if (quantity.Code is not null)
        {
            string code = parameters.Add(quantity.Code);
            conditions.Add(quantity.System is null ? $"({x}.code = {code} OR {x}.unit = {code})" : $"{x}.code = {code}");
        }

        conditions.Add(NumberCondition($"{x}.value", quantity.Prefix, quantity.Value, quantity.Low, quantity.High));
        return string.Join(" AND ", conditions);
    }

    private string Prefix(string column, string value) =>
        value.Length == 0 ? $"{column} IS NOT NULL" : $"{column} >= {parameters.Add(value)} AND {column} < {parameters.Add(IndexTables.PrefixEnd(value))}";

    /// <summary>The spec's prefix semantics between a stored range [lo, hi] and the search range [low, high] (both inclusive).</summary>
    private string RangeCondition(string lo, string hi, SearchPrefix prefix, long low, long high)
    {
        string l = parameters.Add(low);
        string h = parameters.Add(high);
        string contained = $"{lo} >= {l} AND {hi} <= {h}";
        switch (prefix)
        {
            case SearchPrefix.Eq:
                // lo <= hi, so "hi <= h" bounds lo too; written out, it gives the (pid, lo, ...) index a closed range and
                // PostgreSQL's planner an estimate of one day's rows rather than of everything after the day.
                return lo == hi ? contained : $"{lo} >= {l} AND {lo} <= {h} AND {hi} <= {h}";
            case SearchPrefix.Ne:
                return $"({lo} < {l} OR {hi} > {h})";
            case SearchPrefix.Gt:
                return $"{hi} > {h}";
            case SearchPrefix.Lt:
                return $"{lo} < {l}";
            case SearchPrefix.Ge:
                return $"({hi} > {h} OR ({contained}))";
            case SearchPrefix.Le:
                return $"({lo} < {l} OR ({contained}))";
            case SearchPrefix.Sa:
                return $"{lo} > {h}";
            case SearchPrefix.Eb:
                return $"{hi} < {l}";
            case SearchPrefix.Ap:
                (long apLow, long apHigh) = Approximately(low, high);
                return $"{lo} <= {parameters.Add(apHigh)} AND {hi} >= {parameters.Add(apLow)}";
            default:
                throw new ArgumentOutOfRangeException(nameof(prefix));
        }
    }

    /// <summary>A point (lastUpdated) against the search range: the range rules with lo = hi = the point.</summary>
    private string PointCondition(string column, SearchPrefix prefix, long low, long high) => RangeCondition(column, column, prefix, low, high);

    /// <summary>
    /// A stored number range [lo, hi] (a point has lo = hi) against the search value: eq when the range lies within
    /// the value's precision, gt/ge/sa when it reaches (wholly, for sa) above, lt/le/eb likewise below.
    /// </summary>
    private string NumberRangeCondition(string lo, string hi, NumberExpression number)
    {
        string v = parameters.Add((double)number.Value);
        string l = parameters.Add((double)number.Low);
        string h = parameters.Add((double)number.High);
        return number.Prefix switch
        {
            SearchPrefix.Eq => $"{lo} >= {l} AND {hi} < {h}",
            SearchPrefix.Ne => $"({lo} < {l} OR {hi} >= {h})",
            SearchPrefix.Gt => $"{hi} > {v}",
            SearchPrefix.Ge => $"{hi} >= {v}",
            SearchPrefix.Lt => $"{lo} < {v}",
            SearchPrefix.Le => $"{lo} <= {v}",
            SearchPrefix.Sa => $"{lo} > {v}",
            SearchPrefix.Eb => $"{hi} < {v}",
            SearchPrefix.Ap => NumberCondition(lo, SearchPrefix.Ap, number.Value, number.Low, number.High),
            _ => throw new ArgumentOutOfRangeException(nameof(number)),
        };
    }

    private string NumberCondition(string column, SearchPrefix prefix, decimal value, decimal low, decimal high)
    {
        string v = parameters.Add((double)value);
        return prefix switch
        {
            SearchPrefix.Eq => $"{column} >= {parameters.Add((double)low)} AND {column} < {parameters.Add((double)high)}",
            SearchPrefix.Ne => $"({column} < {parameters.Add((double)low)} OR {column} >= {parameters.Add((double)high)})",
            SearchPrefix.Gt or SearchPrefix.Sa => $"{column} > {v}",
            SearchPrefix.Lt or SearchPrefix.Eb => $"{column} < {v}",
            SearchPrefix.Ge => $"{column} >= {v}",
            SearchPrefix.Le => $"{column} <= {v}",
            // "ap": within 10% of the value, as the spec suggests.
            SearchPrefix.Ap => $"{column} >= {parameters.Add((double)Math.Min(value * 0.9m, value * 1.1m))} AND {column} <= {parameters.Add((double)Math.Max(value * 0.9m, value * 1.1m))}",
            _ => throw new ArgumentOutOfRangeException(nameof(prefix)),
        };
    }

    // "ap" on dates: the search range widened by 10% of its distance from now, the spec's recommendation.
    private (long Low, long High) Approximately(long low, long high)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long widenLow = Math.Abs(now - low) / 10;
        long widenHigh = Math.Abs(now - high) / 10;
        return (low - widenLow, high + widenHigh);
    }

    private static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static bool Drives(SearchExpression leaf) =>
        leaf is TokenExpression or ReferenceExpression or UriExpression or TokenTextExpression or DateExpression { Prefix: SearchPrefix.Eq }
        || leaf is StringExpression { Match: not StringMatch.Contains };

    /// <summary>
    /// Without planner statistics SQLite drives a query from the first usable <c>rid IN (...)</c>, so the conditions
    /// likely to match fewest rows go first: a resource id or one referenced resource before a code, a code before a
    /// name prefix, row-by-row checks last.
    /// </summary>
    private static IEnumerable<SearchExpression> MostSelectiveFirst(IReadOnlyList<SearchExpression> operands) =>
        operands.Select((o, i) => (o, i)).OrderBy(p => Rank(p.o)).ThenBy(p => p.i).Select(p => p.o);

    private static int Rank(SearchExpression e) => e switch
    {
        IdExpression => 0,
        ReferenceExpression or CompartmentExpression or CompartmentSetExpression => 1,
        TokenExpression { System: { Length: > 0 }, Code: not null } => 2,
        TokenExpression { Code: not null } or TokenSetExpression or StringExpression { Match: StringMatch.Exact } => 3,
        UriExpression or ChainExpression or ReverseChainExpression or DateExpression { Prefix: SearchPrefix.Eq } => 4,
        StringExpression { Match: StringMatch.StartsWith } or TokenExpression or TokenTextExpression => 5,
        OrExpression any => any.Operands.Count == 0 ? 9 : any.Operands.Max(Rank),
        AndExpression all => all.Operands.Count == 0 ? 9 : all.Operands.Min(Rank),
        _ => 9,
    };

    private static bool HasDriver(SearchExpression e) => e switch
    {
        AndExpression and => and.Operands.Any(HasDriver),
        OrExpression any => any.Operands.Count > 0 && any.Operands.All(HasDriver),
        IdExpression or CompartmentExpression or CompartmentSetExpression or ChainExpression or ReverseChainExpression or TokenSetExpression => true,
        _ => IsLeaf(e) && Drives(e),
    };

    private static SearchExpression? FirstRangeLeaf(SearchExpression e) => e switch
    {
        DateExpression or NumberExpression or QuantityExpression => e,
        OrExpression any when any.Operands.Count > 0 && any.Operands.All(IsLeaf) && any.Operands.Select(LeafKey).Distinct().Count() == 1 && !Drives(any.Operands[0]) => any,
        AndExpression and => and.Operands.Select(o => o is DateExpression or NumberExpression or QuantityExpression or OrExpression ? FirstRangeLeaf(o) : null).FirstOrDefault(r => r is not null),
        _ => null,
    };

    private static bool IsLeaf(SearchExpression e) =>
        e is StringExpression or TokenExpression or TokenTextExpression or ReferenceExpression or DateExpression
            or NumberExpression or QuantityExpression or UriExpression;

    private static (IndexKind, string, bool) LeafKey(SearchExpression leaf) => (IndexTables.KindOf(leaf), ParameterOf(leaf), Drives(leaf));

    private static string ParameterOf(SearchExpression leaf) => leaf switch
    {
        StringExpression e => e.Parameter,
        TokenExpression e => e.Parameter,
        TokenTextExpression e => e.Parameter,
        ReferenceExpression e => e.Parameter,
        DateExpression e => e.Parameter,
        NumberExpression e => e.Parameter,
        QuantityExpression e => e.Parameter,
        UriExpression e => e.Parameter,
        _ => throw new ArgumentException($"{leaf.GetType().Name} is not an index leaf.", nameof(leaf)),
    };

    private string Next(out string alias)
    {
        alias = "x" + (++_aliases).ToString(CultureInfo.InvariantCulture);
        return alias;
    }

    private static string Join(IEnumerable<string> parts, string op, string empty)
    {
        var list = parts.ToList();
        return list.Count switch
        {
            0 => empty,
            1 => list[0],
            _ => "(" + string.Join($") {op} (", list) + ")",
        };
    }
}
