using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Read audits as journal frames. A segment written now starts with <see cref="SegmentMark"/> and holds frames of
/// <c>i32 length | u8 kind | body</c>, little-endian:
/// <list type="bullet">
/// <item>kind 3, where the rows after it continue: <c>u16 len(group id) | group id | u8 the group's chains | i64 index
/// of the next row | CRC-32 of the frame's bytes before it</c>;</item>
/// <item>kind 4, a row not chained yet (<see cref="JournaledRow"/>): <c>payload | CRC-32 of the payload</c>. Its group
/// and index follow from the frame before, its recorded time is its (version 4 or 5) payload's.</item>
/// </list>
/// Segments of earlier versions still read: kind 1 (<c>u16 len(chain id) | chain id | i64 sequence | previous hash |
/// SM3 of the frame's bytes before it</c>) followed by kind 2 rows, already chained (<c>payload | hash</c>); and, without
/// the mark, frames of <c>i32 length | u16 len(chain id) | chain id | i64 sequence | i64 recorded (unix ms) | i32
/// len(payload) | payload | hash | previous hash</c>.
/// </summary>
/// <remarks>
/// With <see cref="AuditReadDurability.Process"/> every audited read copies its frame into the journal's mapping on the
/// request's path, and each new page of it costs a page fault: frames repeat nothing a frame before them says
/// (docs/performance.md, "Twentieth look"). Rows are chained when they are moved (<see cref="AuditChainGroup"/>), so a
/// row frame carries a checksum against torn writes instead of a hash; until its move's checkpoint is signed, a link
/// would prove no more than the checksum, as anyone who can write the file can compute SM3.
/// </remarks>
internal static class AuditJournalFrames
{
    /// <summary>The first four bytes of a segment of kinded frames; far above any length a frame of before could have.</summary>
    public const int SegmentMark = 0x324A_484F;

    private const byte ChainKind = 1;
    private const byte RowKind = 2;
    private const byte GroupKind = 3;
    private const byte ReadKind = 4;
    private const int HashSize = AuditChainCrypto.HashSize;
    private const int ChecksumSize = 4;

    // Far above any real record (a few hundred bytes): a larger length is garbage, not a frame.
    private const int MaxFrame = 16 * 1024 * 1024;

    /// <summary>
    /// The rows of a segment's bytes in order, up to the first frame that is incomplete or does not check;
    /// <paramref name="consumed"/> is where that frame starts (the length of the data when every frame was whole).
    /// </summary>
    public static AuditJournalContents Read(ReadOnlySpan<byte> data, out int consumed)
    {
        var contents = new AuditJournalContents([], []);
        if (data.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(data) == SegmentMark)
        {
            consumed = 4;
            var state = new ChainState();
            while (TryReadKinded(data[consumed..], state, contents, out int length))
            {
                consumed += length;
            }

            return contents;
        }

        consumed = 0;
        while (TryReadFull(data[consumed..], out AuditRow? row, out int length))
        {
            contents.Chained.Add(row);
            consumed += length;
        }

        return contents;
    }

    private static bool TryReadKinded(ReadOnlySpan<byte> data, ChainState state, AuditJournalContents contents, out int length)
    {
        length = 0;
        if (data.Length < 4)
        {
            return false;
        }

        int body = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (body < 1 || body > MaxFrame || body > data.Length - 4)
        {
            return false;
        }

        ReadOnlySpan<byte> frame = data.Slice(4, body);
        length = 4 + body;
        switch (frame[0])
        {
            case ChainKind:
                return TryReadChain(frame, state);
            case RowKind when TryReadRow(frame, state, out AuditRow? row):
                contents.Chained.Add(row);
                return true;
            case GroupKind:
                return TryReadGroup(frame, state);
            case ReadKind when TryReadRead(frame, state, out JournaledRow? read):
                contents.Unchained.Add(read);
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadGroup(ReadOnlySpan<byte> frame, ChainState state)
    {
        if (frame.Length < 3)
        {
            return false;
        }

        int groupBytes = BinaryPrimitives.ReadUInt16LittleEndian(frame[1..]);
        int checkedBytes = 3 + groupBytes + 1 + 8;
        if (frame.Length != checkedBytes + ChecksumSize
            || BinaryPrimitives.ReadUInt32LittleEndian(frame[checkedBytes..]) != Crc32.HashToUInt32(frame[..checkedBytes])
            || frame[3 + groupBytes] is < 1 or > AuditChainGroup.MaxWidth)
        {
            return false;
        }

        state.Group = Encoding.UTF8.GetString(frame.Slice(3, groupBytes));
        state.GroupWidth = frame[3 + groupBytes];
        state.Next = BinaryPrimitives.ReadInt64LittleEndian(frame[(3 + groupBytes + 1)..]);
        return true;
    }

    private static bool TryReadRead(ReadOnlySpan<byte> frame, ChainState state, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JournaledRow? row)
    {
        row = null;
        if (state.Group is not { } group || frame.Length < 1 + 1 + ChecksumSize)
        {
            return false;
        }

        ReadOnlySpan<byte> payloadBytes = frame[1..^ChecksumSize];
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame[^ChecksumSize..]) != Crc32.HashToUInt32(payloadBytes)
            || !BinaryAuditPayload.LinksCompactly(payloadBytes) || BinaryAuditPayload.RecordedMillisOf(payloadBytes) is not { } recorded)
        {
            return false;
        }

        AuditRecord record;
        byte[] payload = payloadBytes.ToArray();
        try
        {
            record = AuditPayload.Read(payload);
        }
        catch (FormatException)
        {
            return false;
        }

        row = new JournaledRow(group, state.GroupWidth, state.Next, recorded, record.Who, AuditLane.DistinctPatients(record.Patients), payload);
        state.Next++;
        return true;
    }

    private static bool TryReadChain(ReadOnlySpan<byte> frame, ChainState state)
    {
        if (frame.Length < 3)
        {
            return false;
        }

        int chainBytes = BinaryPrimitives.ReadUInt16LittleEndian(frame[1..]);
        int checkedBytes = 3 + chainBytes + 8 + HashSize;
        if (frame.Length != checkedBytes + HashSize || !frame[checkedBytes..].SequenceEqual(AuditChainCrypto.Hash(frame[..checkedBytes])))
        {
            return false;
        }

        state.ChainId = Encoding.UTF8.GetString(frame.Slice(3, chainBytes));
        state.Sequence = BinaryPrimitives.ReadInt64LittleEndian(frame[(3 + chainBytes)..]);
        state.Hash = frame.Slice(3 + chainBytes + 8, HashSize).ToArray();
        return true;
    }

    private static bool TryReadRow(ReadOnlySpan<byte> frame, ChainState state, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuditRow? row)
    {
        row = null;
        if (state.ChainId is not { } chainId || frame.Length < 1 + HashSize + 1)
        {
            return false;
        }

        ReadOnlySpan<byte> payloadBytes = frame[1..^HashSize];
        if (!BinaryAuditPayload.LinksCompactly(payloadBytes) || BinaryAuditPayload.RecordedMillisOf(payloadBytes) is not { } recorded)
        {
            return false;
        }

        long sequence = state.Sequence + 1;
        byte[] payload = payloadBytes.ToArray();
        byte[] hash = frame[^HashSize..].ToArray();
        if (!AuditRowHash.Matches(hash, state.Hash, chainId, sequence, recorded, payload))
        {
            return false;
        }

        row = ToRow(chainId, sequence, recorded, payload, hash, state.Hash);
        if (row is null)
        {
            return false;
        }

        state.Sequence = sequence;
        state.Hash = hash;
        return true;
    }

    private static bool TryReadFull(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuditRow? row, out int length)
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

        row = ToRow(chainId, sequence, recorded, payload, hash, previous);
        length = 4 + body;
        return row is not null;
    }

    private static AuditRow? ToRow(string chainId, long sequence, long recorded, byte[] payload, byte[] hash, byte[] previous)
    {
        AuditRecord record;
        try
        {
            record = AuditPayload.Read(payload);
        }
        catch (FormatException)
        {
            return null;
        }

        return new AuditRow(
            chainId, sequence, DateTimeOffset.FromUnixTimeMilliseconds(recorded), record.Who, AuditLane.DistinctPatients(record.Patients), payload, hash, previous);
    }

    private sealed class ChainState
    {
        public string? Group { get; set; }

        public int GroupWidth { get; set; }

        public long Next { get; set; }

        public string? ChainId { get; set; }

        public long Sequence { get; set; }

        public byte[] Hash { get; set; } = [];
    }

    /// <summary>
    /// Writes read audits as frames of one segment: a group frame wherever a row does not follow the row written before
    /// in its group, then the row's payload and checksum.
    /// </summary>
    public sealed class Writer
    {
        private string? _group;
        private int _width;
        private long _next;

        /// <summary>For a new segment: its first row is preceded by a group frame.</summary>
        public void Reset() => _group = null;

        public void Write(IBufferWriter<byte> output, JournaledRow row)
        {
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(row);
            if (!Continues(row))
            {
                WriteGroup(output, row);
            }

            int length = ReadFrameLength(row.Payload.Length);
            WriteRead(output.GetSpan(length)[..length], row);
            output.Advance(length);
        }

        /// <summary>
        /// The length of <paramref name="row"/>'s frame when it follows the row written before (it then needs no group
        /// frame, and <see cref="WriteContinuing"/> writes it); 0 when it does not.
        /// </summary>
        public int ContinuingLength(JournaledRow row)
        {
            ArgumentNullException.ThrowIfNull(row);
            return Continues(row) ? ReadFrameLength(row.Payload.Length) : 0;
        }

        /// <summary>Writes a row whose <see cref="ContinuingLength"/> is the length of <paramref name="frame"/>.</summary>
        public void WriteContinuing(Span<byte> frame, JournaledRow row)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (frame.Length != ContinuingLength(row))
            {
                throw new ArgumentException("The row does not follow the one before, or the frame is not its length", nameof(row));
            }

            WriteRead(frame, row);
        }

        private static int ReadFrameLength(int payloadLength) => 4 + 1 + payloadLength + ChecksumSize;

        private bool Continues(JournaledRow row) =>
            string.Equals(_group, row.Group, StringComparison.Ordinal) && row.GroupWidth == _width && row.Index == _next;

        private void WriteRead(Span<byte> frame, JournaledRow row)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
            frame[4] = ReadKind;
            row.Payload.CopyTo(frame[5..]);
            BinaryPrimitives.WriteUInt32LittleEndian(frame[(5 + row.Payload.Length)..], Crc32.HashToUInt32(row.Payload));
            _next = row.Index + 1;
        }

        private void WriteGroup(IBufferWriter<byte> output, JournaledRow row)
        {
            int groupBytes = Encoding.UTF8.GetByteCount(row.Group);
            int checkedBytes = 3 + groupBytes + 1 + 8;
            Span<byte> span = output.GetSpan(4 + checkedBytes + ChecksumSize);
            BinaryPrimitives.WriteInt32LittleEndian(span, checkedBytes + ChecksumSize);
            Span<byte> frame = span[4..];
            frame[0] = GroupKind;
            BinaryPrimitives.WriteUInt16LittleEndian(frame[1..], checked((ushort)groupBytes));
            Encoding.UTF8.GetBytes(row.Group, frame[3..]);
            frame[3 + groupBytes] = checked((byte)row.GroupWidth);
            BinaryPrimitives.WriteInt64LittleEndian(frame[(3 + groupBytes + 1)..], row.Index);
            BinaryPrimitives.WriteUInt32LittleEndian(frame[checkedBytes..], Crc32.HashToUInt32(frame[..checkedBytes]));
            output.Advance(4 + checkedBytes + ChecksumSize);
            _group = row.Group;
            _width = row.GroupWidth;
            _next = row.Index;
        }
    }
}
