using OpenHip.Fhir.Search.Expressions;

namespace OpenHip.Fhir.Storage.Relational.Search;

/// <summary>
/// The sort columns of a search and the keyset conditions that page through them. Every order ends with the row
/// id, so it is total and a page boundary is one exact position that later inserts cannot shift.
/// </summary>
internal sealed class SortSql(SqlParameters parameters, FilterSqlCompiler filters)
{
    /// <summary>The expression of one sort key over the row alias: multi-valued parameters sort by their lowest value ascending, highest descending.</summary>
    public string Expression(SortKey key, string alias, IReadOnlyList<string> types)
    {
        switch (key.Parameter)
        {
            case "_lastUpdated":
                return $"{alias}.last_updated";
            case "_id":
                return $"{alias}.id";
        }

        (string column, string table) = key.Kind switch
        {
            IndexKind.Date => (key.Descending ? "hi" : "lo", "ix_date"),
            IndexKind.String => ("norm", "ix_string"),
            IndexKind.Token => ("code", "ix_token"),
            IndexKind.Reference => ("COALESCE(s.target_id, s.url)", "ix_reference"),
            IndexKind.Number => ("value", "ix_number"),
            IndexKind.Quantity => ("COALESCE(s.cvalue, s.value)", "ix_quantity"),
            IndexKind.Uri => ("uri", "ix_uri"),
            _ => throw Errors.FhirException.NotSupported($"Sorting by the {key.Kind} parameter '{key.Parameter}' is not supported."),
        };

        string aggregate = key.Descending ? "MAX" : "MIN";
        string value = column.Contains('(', StringComparison.Ordinal) ? column : "s." + column;
        return $"(SELECT {aggregate}({value}) FROM {table} s WHERE s.rid = {alias}.rid AND {filters.ParameterIds("s.pid", types, key.Parameter)})";
    }

    /// <summary>ORDER BY over the sort columns s0..sn and rid; <paramref name="reversed"/> walks the same order backwards.</summary>
    public static string OrderBy(IReadOnlyList<SortKey> keys, bool reversed, string qualifier = "")
    {
        var parts = new List<string>();
        for (int i = 0; i < keys.Count; i++)
        {
            // Resources without a value come last in either direction.
            parts.Add($"({qualifier}s{i} IS NULL){(reversed ? " DESC" : string.Empty)}");
            parts.Add($"{qualifier}s{i}{(keys[i].Descending != reversed ? " DESC" : string.Empty)}");
        }

        parts.Add(reversed ? $"{qualifier}rid DESC" : $"{qualifier}rid");
        return string.Join(", ", parts);
    }

    /// <summary>Rows strictly after (or, backward, before) the cursor position in the query's order.</summary>
    public string Keyset(IReadOnlyList<SortKey> keys, SearchCursor cursor) => KeysetFrom(keys, cursor, 0);

    private string KeysetFrom(IReadOnlyList<SortKey> keys, SearchCursor cursor, int i)
    {
        if (i == keys.Count)
        {
            return $"rid {(cursor.Backward ? "<" : ">")} {parameters.Add(cursor.Rid)}";
        }

        string column = "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        object? value = cursor.Values[i];
        string rest = KeysetFrom(keys, cursor, i + 1);
        if (value is null)
        {
            // Nulls sort last: after a null only more nulls; before it, every non-null.
            string equalNull = $"({column} IS NULL AND {rest})";
            return cursor.Backward ? $"({column} IS NOT NULL OR {equalNull})" : equalNull;
        }

        string v = parameters.Add(value);
        bool greater = keys[i].Descending == cursor.Backward;
        string beyond = cursor.Backward
            ? $"{column} {(greater ? ">" : "<")} {v}"
            : $"({column} {(greater ? ">" : "<")} {v} OR {column} IS NULL)";
        return $"({beyond} OR ({column} = {v} AND {rest}))";
    }
}
