using System.Buffers;
using System.Text;

namespace OpenHip.Fhir.Audit;

/// <summary>
/// The length-prefixed pieces of the audit log's binary forms (the record's payload, a block of stored events): varints of
/// seven bits per byte, and strings as a varint of their UTF-8 length plus one (0 for none) followed by the bytes.
/// </summary>
public static class CompactEncoding
{
    // At most three UTF-8 bytes per UTF-16 unit: 42 units take at most 126 bytes, whose length plus one is below 0x80.
    private const int ShortString = 42;

    public static void WriteVarint(ArrayBufferWriter<byte> buffer, uint value) => WriteVarint(buffer, (ulong)value);

    public static void WriteVarint(ArrayBufferWriter<byte> buffer, ulong value)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Span<byte> span = buffer.GetSpan(10);
        int at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        buffer.Advance(at);
    }

    /// <summary>Writes the varint at <paramref name="at"/>, which it advances; the span must have room for ten bytes.</summary>
    public static void WriteVarint(Span<byte> bytes, ref int at, ulong value)
    {
        while (value >= 0x80)
        {
            bytes[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[at++] = (byte)value;
    }

    public static void WriteString(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteVarint(buffer, 0);
            return;
        }

        WriteString(buffer, value.AsSpan());
    }

    /// <summary>Present text, possibly empty (a piece of a larger string, without copying it out).</summary>
    public static void WriteString(ArrayBufferWriter<byte> buffer, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (value.Length <= ShortString)
        {
            // Short enough that its length plus one fits one varint byte however it encodes: one pass, not two.
            Span<byte> span = buffer.GetSpan(1 + (3 * value.Length));
            int written = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)(written + 1);
            buffer.Advance(1 + written);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(buffer, (uint)length + 1);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <exception cref="FormatException">The bytes end inside the varint, or it is longer than 32 bits.</exception>
    public static uint ReadVarint(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = ReadVarint64(bytes, ref at);
        return value <= uint.MaxValue ? (uint)value : throw new FormatException("A length is longer than 32 bits");
    }

    /// <exception cref="FormatException">The bytes end inside the varint, or it is longer than 64 bits.</exception>
    public static ulong ReadVarint64(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length)
            {
                throw new FormatException("The bytes end inside a number");
            }

            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("A number is longer than 64 bits");
    }

    /// <exception cref="FormatException">The string runs past the end of the bytes.</exception>
    public static string? ReadString(ReadOnlySpan<byte> bytes, ref int at)
    {
        uint encoded = ReadVarint(bytes, ref at);
        if (encoded == 0)
        {
            return null;
        }

        int length = (int)(encoded - 1);
        if (length > bytes.Length - at)
        {
            throw new FormatException("A string runs past the end of the bytes");
        }

        string value = Encoding.UTF8.GetString(bytes.Slice(at, length));
        at += length;
        return value;
    }
}
