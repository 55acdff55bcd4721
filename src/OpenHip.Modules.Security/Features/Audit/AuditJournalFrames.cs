using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Audit rows as journal frames: <c>i32 length | u16 len(chain id) | chain id | i64 sequence | i64 recorded (unix ms) |
/// i32 len(payload) | payload | hash | previous hash</c>, little-endian. A frame carries no checksum of its own: the row's
/// chain hash, recomputed on reading, already fails for any byte a crash tore or a disk changed.
/// </summary>
internal static class AuditJournalFrames
{
    private const int HashSize = AuditChainCrypto.HashSize;

    // Far above any real record (a few hundred bytes): a larger length is garbage, not a frame.
    private const int MaxFrame = 16 * 1024 * 1024;

    public static void Write(IBufferWriter<byte> output, AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(row);
        int chainBytes = Encoding.UTF8.GetByteCount(row.ChainId);
        int body = 2 + chainBytes + 8 + 8 + 4 + row.Payload.Length + (2 * HashSize);
        Span<byte> span = output.GetSpan(4 + body);
        BinaryPrimitives.WriteInt32LittleEndian(span, body);
        int at = 4;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)chainBytes));
        at += 2;
        at += Encoding.UTF8.GetBytes(row.ChainId, span[at..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], row.Sequence);
        at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], row.Recorded.ToUnixTimeMilliseconds());
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], row.Payload.Length);
        at += 4;
        row.Payload.Span.CopyTo(span[at..]);
        at += row.Payload.Length;
        row.Hash.Span.CopyTo(span[at..]);
        at += HashSize;
        row.PreviousHash.Span.CopyTo(span[at..]);
        output.Advance(at + HashSize);
    }

    /// <summary>
    /// The rows of <paramref name="data"/> in order, up to the first frame that is incomplete or does not hash to itself;
    /// <paramref name="consumed"/> is where that frame starts (the length of the data when every frame was whole).
    /// </summary>
    public static List<AuditRow> Read(ReadOnlySpan<byte> data, out int consumed)
    {
        var rows = new List<AuditRow>();
        consumed = 0;
        while (TryRead(data[consumed..], out AuditRow? row, out int length))
        {
            rows.Add(row);
            consumed += length;
        }

        return rows;
    }

    private static bool TryRead(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuditRow? row, out int length)
    {
        row = null;
        length = 0;
        if (data.Length < 4)
        {
            return false;
        }

        int body = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (body < 2 + 8 + 8 + 4 + (2 * HashSize) || body > MaxFrame || body > data.Length - 4)
        {
            return false;
        }

        ReadOnlySpan<byte> frame = data.Slice(4, body);
        int chainBytes = BinaryPrimitives.ReadUInt16LittleEndian(frame);
        int fixedBytes = 2 + chainBytes + 8 + 8 + 4;
        if (fixedBytes + (2 * HashSize) > body)
        {
            return false;
        }

        string chainId = Encoding.UTF8.GetString(frame.Slice(2, chainBytes));
        int at = 2 + chainBytes;
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(frame[at..]);
        long recorded = BinaryPrimitives.ReadInt64LittleEndian(frame[(at + 8)..]);
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(frame[(at + 16)..]);
        if (payloadLength < 0 || fixedBytes + payloadLength + (2 * HashSize) != body)
        {
            return false;
        }

        byte[] payload = frame.Slice(fixedBytes, payloadLength).ToArray();
        byte[] hash = frame.Slice(fixedBytes + payloadLength, HashSize).ToArray();
        byte[] previous = frame.Slice(fixedBytes + payloadLength + HashSize, HashSize).ToArray();
        if (!AuditRowHash.Matches(hash, previous, chainId, sequence, recorded, payload))
        {
            return false;
        }

        AuditRecord record;
        try
        {
            record = AuditPayload.Read(payload);
        }
        catch (FormatException)
        {
            return false;
        }

        row = new AuditRow(
            chainId, sequence, DateTimeOffset.FromUnixTimeMilliseconds(recorded), record.Who, AuditLane.DistinctPatients(record.Patients), payload, hash, previous);
        length = 4 + body;
        return true;
    }
}
