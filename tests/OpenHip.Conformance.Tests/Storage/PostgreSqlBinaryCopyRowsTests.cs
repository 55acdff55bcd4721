using System.Buffers;
using Npgsql;
using NpgsqlTypes;
using OpenHip.Fhir.Storage.PostgreSql.Writing;
using OpenHip.Testing;

namespace OpenHip.Conformance.Tests.Storage;

/// <summary>
/// The bulk path encodes its rows for COPY itself (<see cref="BinaryCopyRows"/>): the rows it gives PostgreSQL
/// must be exactly those Npgsql's binary importer gives for the same values.
/// </summary>
[Collection(PostgreSqlTests.Name)]
public sealed class PostgreSqlBinaryCopyRowsTests(PostgreSqlTestDatabase database) : IClassFixture<PostgreSqlTestDatabase>
{
    private static readonly (string Column, NpgsqlDbType Type)[] Columns =
        [("b", NpgsqlDbType.Bigint), ("i", NpgsqlDbType.Integer), ("t", NpgsqlDbType.Text), ("d", NpgsqlDbType.Double), ("s", NpgsqlDbType.Smallint), ("y", NpgsqlDbType.Bytea)];

    private static readonly object?[][] Rows =
    [
        [long.MinValue, int.MaxValue, "张伟 Zhāng Wěi 🏥", 0.1, short.MinValue, "{\"a\":\"张\"}"u8.ToArray()],
        [long.MaxValue, int.MinValue, string.Empty, -1.5e300, short.MaxValue, Array.Empty<byte>()],
        [-62135596800000L, null, null, double.NaN, (short)0, null],
        [0L, 0, new string('x', 10_000), double.PositiveInfinity, (short)-1, new byte[70_000]],
        [1L, null, "é\u00a0\u2028", null, (short)2, new byte[] { 0, 255, 10 }],
    ];

    [SkippableFact]
    public async Task TypedWriters_EveryColumnTypeAndNull_StoreWhatNpgsqlsImporterStores()
    {
        await using var connection = new NpgsqlConnection(await database.CreateSchemaAsync());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE by_npgsql (n int, b bigint, i integer, t text, d double precision, s smallint, y bytea); CREATE TABLE by_buffer (LIKE by_npgsql)");
        string columns = "n, " + string.Join(", ", Columns.Select(c => c.Column));

        await using (NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync($"COPY by_npgsql ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (int row = 0; row < Rows.Length; row++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(row, NpgsqlDbType.Integer);
                for (int column = 0; column < Columns.Length; column++)
                {
                    await (Rows[row][column] is { } value ? importer.WriteAsync(value, Columns[column].Type) : importer.WriteNullAsync());
                }
            }

            await importer.CompleteAsync();
        }

        var buffer = new ArrayBufferWriter<byte>();
        BinaryCopyRows.WriteHeader(buffer);
        for (int row = 0; row < Rows.Length; row++)
        {
            BinaryCopyRows.WriteRowStart(buffer, Columns.Length + 1);
            BinaryCopyRows.WriteInteger(buffer, row);
            for (int column = 0; column < Columns.Length; column++)
            {
                Write(buffer, Rows[row][column], Columns[column].Type);
            }
        }

        BinaryCopyRows.WriteTrailer(buffer);
        await using (NpgsqlRawCopyStream copy = await connection.BeginRawBinaryCopyAsync($"COPY by_buffer ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            await copy.WriteAsync(buffer.WrittenMemory);
        }

        // Compared as text, so that NaN and NULL compare as themselves.
        Assert.Equal(Rows.Length, await ScalarAsync(connection, "SELECT count(*) FROM by_buffer"));
        Assert.Equal(0, await ScalarAsync(connection, "SELECT count(*) FROM (SELECT by_npgsql::text FROM by_npgsql EXCEPT SELECT by_buffer::text FROM by_buffer) d"));
        Assert.Equal(0, await ScalarAsync(connection, "SELECT count(*) FROM (SELECT by_buffer::text FROM by_buffer EXCEPT SELECT by_npgsql::text FROM by_npgsql) d"));
    }

    private static void Write(ArrayBufferWriter<byte> buffer, object? value, NpgsqlDbType type)
    {
        switch (type)
        {
            case NpgsqlDbType.Bigint:
                BinaryCopyRows.WriteBigint(buffer, (long)value!);
                break;
            case NpgsqlDbType.Integer:
                BinaryCopyRows.WriteInteger(buffer, (int?)value);
                break;
            case NpgsqlDbType.Text:
                BinaryCopyRows.WriteText(buffer, (string?)value);
                break;
            case NpgsqlDbType.Double:
                BinaryCopyRows.WriteDouble(buffer, (double?)value);
                break;
            case NpgsqlDbType.Smallint:
                BinaryCopyRows.WriteSmallint(buffer, (short)value!);
                break;
            case NpgsqlDbType.Bytea when value is null:
                BinaryCopyRows.WriteNull(buffer);
                break;
            case NpgsqlDbType.Bytea:
                BinaryCopyRows.WriteBytea(buffer, (byte[])value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
