using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.Relational.Search;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The map from (resource type, parameter code) to search_param.pid. Missing ids are created in their own short
/// autocommit statement before the changeset's transaction begins, with <c>ON CONFLICT DO NOTHING</c> so nodes
/// creating the same id at once agree on one row. Only ids read back after that commit are cached: an id from a
/// rolled-back transaction can never be handed out.
/// </summary>
internal sealed class ParameterIds : IKnownParameterIds
{
    private const string EnsureSql =
        """
        INSERT INTO search_param (type, code)
        SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (type, code) DO NOTHING
        """;

    private const string SelectSql =
        """
        SELECT p.type, p.code, p.pid
        FROM search_param p JOIN unnest($1::text[], $2::text[]) AS k(type, code) ON p.type = k.type AND p.code = k.code
        """;

    private readonly ConcurrentDictionary<(string Type, string Code), int> _committed = new();

    /// <summary>The cached id; resolve it with <see cref="EnsureAsync"/> first.</summary>
    public int Get(string type, string code) =>
        _committed.TryGetValue((type, code), out int pid)
            ? pid
            : throw new InvalidOperationException($"The search parameter id of {type}.{code} was not resolved before use.");

    public bool TryGet(string type, string code, out int pid) => _committed.TryGetValue((type, code), out pid);

    /// <summary>Makes sure every key has a committed id in the cache. Must run outside a transaction.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, IEnumerable<(string Type, string Code)> keys, CancellationToken cancellationToken)
    {
        var missing = keys.Where(k => !_committed.ContainsKey(k)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        string[] types = [.. missing.Select(k => k.Type)];
        string[] codes = [.. missing.Select(k => k.Code)];
        await using (var insert = new NpgsqlCommand(EnsureSql, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter<string[]>() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
            insert.Parameters.Add(new NpgsqlParameter<string[]>() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = codes });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var select = new NpgsqlCommand(SelectSql, connection);
        select.Parameters.Add(new NpgsqlParameter<string[]>() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        select.Parameters.Add(new NpgsqlParameter<string[]>() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = codes });
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _committed[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        }
    }
}
