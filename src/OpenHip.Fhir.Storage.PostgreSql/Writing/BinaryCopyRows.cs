using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// PostgreSQL's binary COPY format (header, rows of length-prefixed big-endian fields, trailer) written into one buffer,
/// for the raw COPYs of the bulk path. Npgsql's <c>NpgsqlBinaryImporter</c> writes the same bytes, but resolves a type
/// and awaits for every value; with ~16 index rows of 4–9 values per resource that was most of the import's COPY time.
/// </summary>
internal static class BinaryCopyRows
{
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The signature, no flags, no header extension.</summary>
    public static void WriteHeader(IBufferWriter<byte> buffer) => buffer.Write(Header);

    public static void WriteRowStart(IBufferWriter<byte> buffer, int columns)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(2), checked((short)columns));
        buffer.Advance(2);
    }

    /// <summary>The end of the data: a field count of -1.</summary>
    public static void WriteTrailer(IBufferWriter<byte> buffer) => WriteRowStart(buffer, -1);

    // Typed writers, so that the bulk path encodes its rows without boxing a value or resolving a type per field
    // (~13 million fields in a 96,000-resource import). Text is UTF-8, the encoding Npgsql sets for the session.
    public static void WriteNull(IBufferWriter<byte> buffer)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), -1);
        buffer.Advance(4);
    }

    public static void WriteText(IBufferWriter<byte> buffer, string? text)
    {
        if (text is null)
        {
            WriteNull(buffer);
            return;
        }

        Span<byte> span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        int length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        buffer.Advance(4 + length);
    }

    public static void WriteBytea(IBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), bytes.Length);
        buffer.Advance(4);
        buffer.Write(bytes);
    }

    public static void WriteBigint(IBufferWriter<byte> buffer, long value) => WriteEightBytes(buffer, value);

    public static void WriteDouble(IBufferWriter<byte> buffer, double? value)
    {
        if (value is null)
        {
            WriteNull(buffer);
            return;
        }

        WriteEightBytes(buffer, BitConverter.DoubleToInt64Bits(value.Value));
    }

    public static void WriteInteger(IBufferWriter<byte> buffer, int? value)
    {
        if (value is not { } integer)
        {
            WriteNull(buffer);
            return;
        }

        Span<byte> span = buffer.GetSpan(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], integer);
        buffer.Advance(8);
    }

    public static void WriteSmallint(IBufferWriter<byte> buffer, short value)
    {
        Span<byte> span = buffer.GetSpan(6);
        BinaryPrimitives.WriteInt32BigEndian(span, 2);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], value);
        buffer.Advance(6);
    }

    // A bigint, or a double precision by its IEEE 754 bits: both big-endian after their length.
    private static void WriteEightBytes(IBufferWriter<byte> buffer, long bits)
    {
        Span<byte> span = buffer.GetSpan(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], bits);
        buffer.Advance(12);
    }
}
