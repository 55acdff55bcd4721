using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NpgsqlTypes;

namespace OpenHip.Fhir.Storage.PostgreSql.Writing;

/// <summary>
/// PostgreSQL's binary COPY format (header, rows of length-prefixed big-endian fields, trailer) written into one buffer,
/// for a raw COPY of the index rows. Npgsql's <c>NpgsqlBinaryImporter</c> writes the same bytes, but resolves a type
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

    /// <summary>One field: null, or a text (UTF-8, the encoding Npgsql sets for the session), bigint, integer or double precision.</summary>
    public static void WriteField(IBufferWriter<byte> buffer, object? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), -1);
            buffer.Advance(4);
            return;
        }

        switch (type)
        {
            case NpgsqlDbType.Text:
                string text = (string)value;
                Span<byte> span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
                int length = Encoding.UTF8.GetBytes(text, span[4..]);
                BinaryPrimitives.WriteInt32BigEndian(span, length);
                buffer.Advance(4 + length);
                break;
            case NpgsqlDbType.Bigint:
                WriteEightBytes(buffer, value is long l ? l : Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case NpgsqlDbType.Double:
                WriteEightBytes(buffer, BitConverter.DoubleToInt64Bits(value is double d ? d : Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                break;
            case NpgsqlDbType.Integer:
                Span<byte> integer = buffer.GetSpan(8);
                BinaryPrimitives.WriteInt32BigEndian(integer, 4);
                BinaryPrimitives.WriteInt32BigEndian(integer[4..], value is int i ? i : Convert.ToInt32(value, CultureInfo.InvariantCulture));
                buffer.Advance(8);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "no binary COPY writer for this column type");
        }
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
