using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The claims of a run of creates in one statement: a transaction Bundle of a few hundred new resources costs one
/// executor start, one trigger queue for the foreign keys and one message instead of one of each per resource, which was
/// most of what PostgreSQL spent on a claim apart from the rows themselves. Each create still either claims its
/// (type, id) or finds it taken (<c>ON CONFLICT DO NOTHING</c>, no row for it in the result), exactly as the statement
/// per write does; sequence values are taken in the order of the writes.
/// </summary>
internal static class CreateClaims
{
    // The rows as columns, numbered; the version and outbox rows are only written for the rows whose claim succeeded.
    private const string Sql =
        """
        WITH w AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::smallint[], $6::smallint[], $7::text[], $8::bytea[])
                WITH ORDINALITY AS w (type, id, version, last_updated, method, deleted, source, json, n)
        ), c AS (
            INSERT INTO resource_current (type, id, seq, version, deleted, last_updated)
            SELECT type, id, nextval('resource_version_seq'), version, deleted, last_updated FROM w ORDER BY n
            ON CONFLICT (type, id) DO NOTHING
            RETURNING rid, seq, type, id
        ), v AS (
            INSERT INTO resource_version (seq, type, id, version, last_updated, method, deleted, source, json)
            SELECT c.seq, w.type, w.id, w.version, w.last_updated, w.method, w.deleted, w.source, w.json
            FROM c JOIN w ON w.type = c.type AND w.id = c.id
        ), o AS (
            INSERT INTO outbox (seq, type, id, version, method, last_updated)
            SELECT c.seq, w.type, w.id, w.version, w.method, w.last_updated
            FROM c JOIN w ON w.type = c.type AND w.id = c.id
        )
        SELECT w.n, c.rid, c.seq FROM c JOIN w ON w.type = c.type AND w.id = c.id ORDER BY w.n
        """;

    /// <summary>
    /// Runs of at least two consecutive creates whose resources the changeset writes only once: those can share a
    /// statement without changing what any write sees or the order of the sequence values.
    /// </summary>
    public static IReadOnlyList<(int Start, int Count)> Runs(IReadOnlyList<ResourceWrite> writes)
    {
        var writesOf = new Dictionary<ResourceKey, int>();
        foreach (ResourceWrite write in writes)
        {
            writesOf[write.Key] = writesOf.GetValueOrDefault(write.Key) + 1;
        }

        var runs = new List<(int Start, int Count)>();
        int start = 0;
        for (int i = 0; i <= writes.Count; i++)
        {
            if (i < writes.Count && writes[i].ExpectedCurrentVersion == 0 && writesOf[writes[i].Key] == 1)
            {
                continue;
            }

            if (i - start >= 2)
            {
                runs.Add((start, i - start));
            }

            start = i + 1;
        }

        return runs;
    }

    /// <summary>The statement claiming <paramref name="count"/> creates from <paramref name="start"/>.</summary>
    public static NpgsqlBatchCommand Command(NpgsqlBatch batch, IReadOnlyList<ResourceWrite> writes, int start, int count)
    {
        var types = new string[count];
        var ids = new string[count];
        var versions = new long[count];
        var updated = new long[count];
        var methods = new short[count];
        var deleted = new short[count];
        var sources = new string?[count];
        var json = new byte[]?[count];
        for (int i = 0; i < count; i++)
        {
            ResourceWrite write = writes[start + i];
            types[i] = write.Type;
            ids[i] = write.Id;
            versions[i] = write.VersionId;
            updated[i] = write.LastUpdated.ToUnixTimeMilliseconds();
            methods[i] = (short)write.Method;
            deleted[i] = write.IsDelete ? (short)1 : (short)0;
            sources[i] = write.Source;
            json[i] = write.IsDelete || write.Json.IsEmpty ? null : AsArray(write.Json);
        }

        NpgsqlBatchCommand command = batch.CreateBatchCommand();
        command.CommandText = Sql;
        NpgsqlParameterCollection p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        p.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = ids });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = versions });
        p.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = updated });
        p.Add(new NpgsqlParameter<short[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint, TypedValue = methods });
        p.Add(new NpgsqlParameter<short[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint, TypedValue = deleted });
        p.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = sources });
        p.Add(new NpgsqlParameter<byte[]?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = json });
        return command;
    }

    /// <summary>Reads the statement's rows (ordinal from 1, rid, seq) into the claims of its run; a taken key stays null.</summary>
    public static async Task ReadAsync(NpgsqlDataReader reader, (long Rid, long Seq)?[] claims, int start, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claims[start + (int)reader.GetInt64(0) - 1] = (reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    // Npgsql writes the arrays while sending, so a caller's buffer can go out without a copy.
    internal static byte[] AsArray(ReadOnlyMemory<byte> json) =>
        MemoryMarshal.TryGetArray(json, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : json.ToArray();
}
