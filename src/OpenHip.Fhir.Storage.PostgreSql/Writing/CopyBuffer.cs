using System.Buffers;
using Npgsql;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// The rows of one table's binary COPY, encoded as they are added (<see cref="BinaryCopyRows"/>) and sent by one raw
/// COPY. Npgsql's <c>NpgsqlBinaryImporter</c> resolves a type and awaits for every value.
/// </summary>
internal sealed class CopyBuffer
{
    private readonly string _copySql;
    private readonly short _columns;
    private readonly ArrayBufferWriter<byte> _buffer;

    public CopyBuffer(string table, string columnList, int capacity)
    {
        _copySql = $"COPY {table} ({columnList}) FROM STDIN (FORMAT BINARY)";
        _columns = checked((short)columnList.Split(',').Length);
        _buffer = new ArrayBufferWriter<byte>(Math.Max(capacity, 64));
        BinaryCopyRows.WriteHeader(_buffer);
    }

    public int Rows { get; private set; }

    /// <summary>Starts a row and returns the writer its fields go to, in column order.</summary>
    public IBufferWriter<byte> StartRow()
    {
        Rows++;
        BinaryCopyRows.WriteRowStart(_buffer, _columns);
        return _buffer;
    }

    /// <summary>Sends the rows; nothing when there are none. A buffer is sent once.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (Rows == 0)
        {
            return;
        }

        BinaryCopyRows.WriteTrailer(_buffer);
        await using NpgsqlRawCopyStream copy = await connection.BeginRawBinaryCopyAsync(_copySql, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
