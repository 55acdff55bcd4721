using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.PostgreSql.Audit;

/// <summary>Audit rows and their patient keys as one statement of arrays: one round trip for any number of rows.</summary>
internal static class AuditRowsSql
{
    private const string InsertSql =
        """
        WITH r AS (
            INSERT INTO audit_log (chain_id, seq, recorded, agent, payload, hash, prev_hash)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $6::bytea[], $7::bytea[])
            RETURNING aid, chain_id, seq, recorded
        )
        INSERT INTO audit_patient (patient_id, recorded, aid)
        SELECT p.patient_id, r.recorded, r.aid
        FROM unnest($8::text[], $9::bigint[], $10::text[]) AS p (chain_id, seq, patient_id)
        JOIN r ON r.chain_id = p.chain_id AND r.seq = p.seq
        ON CONFLICT DO NOTHING
        """;

    public const string InsertCheckpointSql =
        "INSERT INTO audit_checkpoint (node, number, recorded, body, signature) VALUES ($1, $2, $3, $4, $5)";

    public static NpgsqlBatchCommand Insert(NpgsqlBatch batch, IReadOnlyList<AuditRow> rows)
    {
        NpgsqlBatchCommand command = batch.CreateBatchCommand();
        command.CommandText = InsertSql;
        var keys = rows.SelectMany(r => r.Patients.Select(p => (r.ChainId, r.Sequence, Patient: p))).ToList();
        NpgsqlParameterCollection p = command.Parameters;
        p.Add(Texts(rows.Select(r => r.ChainId)));
        p.Add(Longs(rows.Select(r => r.Sequence)));
        p.Add(Longs(rows.Select(r => r.Recorded.ToUnixTimeMilliseconds())));
        p.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. rows.Select(r => r.Agent)] });
        p.Add(Bytes(rows.Select(r => r.Payload)));
        p.Add(Bytes(rows.Select(r => r.Hash)));
        p.Add(Bytes(rows.Select(r => r.PreviousHash)));
        p.Add(Texts(keys.Select(k => k.ChainId)));
        p.Add(Longs(keys.Select(k => k.Sequence)));
        p.Add(Texts(keys.Select(k => k.Patient)));
        return command;
    }

    private static NpgsqlParameter<string[]> Texts(IEnumerable<string> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. values] };

    private static NpgsqlParameter<long[]> Longs(IEnumerable<long> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = [.. values] };

    private static NpgsqlParameter<byte[][]> Bytes(IEnumerable<ReadOnlyMemory<byte>> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = [.. values.Select(v => v.ToArray())] };
}
