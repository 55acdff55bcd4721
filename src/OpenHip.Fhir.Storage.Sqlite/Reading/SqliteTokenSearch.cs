using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Reading;

/// <summary>
/// Token lookups for conditional interactions: an AND of clauses, each an OR of values. token_index holds
/// current, non-deleted versions only, so each clause is a plain index range.
/// </summary>
internal sealed class SqliteTokenSearch(SqliteConnectionFactory connections)
{
    private const string IdParameter = "_id";

    public async Task<IReadOnlyList<string>> FindAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        using SqliteConnection connection = await connections.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = BuildSql(query, command.Parameters);

        var ids = new List<string>();
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Builds the statement from fixed fragments; every value from the query becomes a numbered parameter.</summary>
    private static string BuildSql(TokenQuery query, SqliteParameterCollection parameters)
    {
        var sql = new StringBuilder("SELECT c.id FROM resource_current c WHERE c.type = @type AND c.deleted = 0");
        parameters.AddWithValue("@type", query.Type);

        for (int clauseIndex = 0; clauseIndex < query.Clauses.Count; clauseIndex++)
        {
            TokenClause clause = query.Clauses[clauseIndex];
            if (clause.Parameter == IdParameter)
            {
                sql.Append(" AND (").Append(IdAlternatives(clause, clauseIndex, parameters)).Append(')');
                continue;
            }

            string param = Name("p", clauseIndex);
            parameters.AddWithValue(param, clause.Parameter);
            sql.Append(" AND c.id IN (SELECT t.id FROM token_index t WHERE t.type = @type AND t.param = ")
                .Append(param)
                .Append(" AND (")
                .Append(TokenAlternatives(clause, clauseIndex, parameters))
                .Append("))");
        }

        sql.Append(" LIMIT @limit");
        parameters.AddWithValue("@limit", query.Limit);
        return sql.ToString();
    }

    private static string IdAlternatives(TokenClause clause, int clauseIndex, SqliteParameterCollection parameters)
    {
        var alternatives = new List<string>(clause.AnyOf.Count);
        for (int i = 0; i < clause.AnyOf.Count; i++)
        {
            // An id has no system; a value without a code places no constraint.
            if (clause.AnyOf[i].Code is not { } code)
            {
                alternatives.Add("1");
                continue;
            }

            string name = Name("v", clauseIndex, i);
            parameters.AddWithValue(name, code);
            alternatives.Add("c.id = " + name);
        }

        return Or(alternatives);
    }

    private static string TokenAlternatives(TokenClause clause, int clauseIndex, SqliteParameterCollection parameters)
    {
        var alternatives = new List<string>(clause.AnyOf.Count);
        for (int i = 0; i < clause.AnyOf.Count; i++)
        {
            TokenValue value = clause.AnyOf[i];
            var conditions = new List<string>(2);
            if (value.Code is not null)
            {
                string code = Name("c", clauseIndex, i);
                parameters.AddWithValue(code, value.Code);
                conditions.Add("t.code = " + code);
            }

            if (value.System is "")
            {
                conditions.Add("t.system IS NULL");
            }
            else if (value.System is not null)
            {
                string system = Name("s", clauseIndex, i);
                parameters.AddWithValue(system, value.System);
                conditions.Add("t.system = " + system);
            }

            alternatives.Add(conditions.Count == 0 ? "1" : string.Join(" AND ", conditions));
        }

        return Or(alternatives);
    }

    // An empty OR is false: a clause that allows no value matches nothing.
    private static string Or(List<string> alternatives) =>
        alternatives.Count == 0 ? "0" : "(" + string.Join(") OR (", alternatives) + ")";

    private static string Name(string prefix, int clauseIndex, int valueIndex = -1) =>
        valueIndex < 0
            ? string.Create(CultureInfo.InvariantCulture, $"@{prefix}{clauseIndex}")
            : string.Create(CultureInfo.InvariantCulture, $"@{prefix}{clauseIndex}_{valueIndex}");
}
