using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// Audit rows as journal frames. A segment written now starts with <see cref="SegmentMark"/> and holds frames of
/// <c>i32 length | u8 kind | body</c>, little-endian:
/// <list type="bullet">
/// <item>kind 1, where the rows after it continue: <c>u16 len(chain id) | chain id | i64 sequence | previous hash |
/// SM3 of the frame's bytes before it</c> (sequence and previous hash are the last row's before them);</item>
/// <item>kind 2, a row: <c>payload | hash</c>. Its chain, sequence and previous hash follow from the frame before, its
/// recorded time is its (version 4 or 5) payload's.</item>
/// </list>
/// Segments written before hold frames of <c>i32 length | u16 len(chain id) | chain id | i64 sequence | i64 recorded
/// (unix ms) | i32 len(payload) | payload | hash | previous hash</c>, and still read.
/// A row frame carries no checksum of its own: the row's chain hash, recomputed on reading, already fails for any byte
/// a crash tore or a disk changed.
/// </summary>
/// <remarks>
/// With <see cref="AuditReadDurability.Process"/> every audited read copies its frame into the journal's mapping on the
/// request's path, and each new page of it costs a page fault: the chain id, sequence, time and previous hash repeated
/// in every frame were two fifths of its bytes (docs/performance.md, "Twentieth look").
/// </remarks>
internal static class AuditJournalFrames
{
    /// <summary>The first four bytes of a segment of kinded frames; far above any length a frame of before could have.</summary>
    public const int SegmentMark = 0x324A_484F;

    private const byte ChainKind = 1;
    private const byte RowKind = 2;
    private const int HashSize = AuditChainCrypto.HashSize;

    // Far above any real record (a few hundred bytes): a larger length is garbage, not a frame.
    private const int MaxFrame = 16 * 1024 * 1024;

    /// <summary>
    /// The rows of a segment's bytes in order, up to the first frame that is incomplete or does not check;
    /// <paramref name="consumed"/> is where that frame starts (the length of the data when every frame was whole).
    /// </summary>
    public static List<AuditRow> Read(ReadOnlySpan<byte> data, out int consumed)
    {
        var rows = new List<AuditRow>();
        if (data.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(data) == SegmentMark)
        {
            consumed = 4;
            var state = new ChainState();
            while (TryReadKinded(data[consumed..], state, out AuditRow? row, out int length))
            {
                if (row is not null)
                {
                    rows.Add(row);
                }

                consumed += length;
            }

            return rows;
        }

        consumed = 0;
        while (TryReadFull(data[consumed..], out AuditRow? row, out int length))
        {
            rows.Add(row);
            consumed += length;
        }

        return rows;
    }

    private static bool TryReadKinded(ReadOnlySpan<byte> data, ChainState state, out AuditRow? row, out int length)
    {
        row = null;
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
        return frame[0] switch
        {
            ChainKind => TryReadChain(frame, state),
            RowKind => TryReadRow(frame, state, out row),
            _ => false,
        };
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

    private static bool TryReadRow(ReadOnlySpan<byte> frame, ChainState state, out AuditRow? row)
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
        public string? ChainId { get; set; }

        public long Sequence { get; set; }

        public byte[] Hash { get; set; } = [];
    }

    /// <summary>Writes rows as frames of one segment, a chain frame wherever a row does not continue the row before.</summary>
    public sealed class Writer
    {
        private string? _chainId;
        private long _sequence;
        private ReadOnlyMemory<byte> _hash;

        /// <summary>For a new segment: its first row is preceded by a chain frame.</summary>
        public void Reset() => _chainId = null;

        /// <exception cref="ArgumentException">The row's payload is not of the version whose link a row frame leaves out.</exception>
        public void Write(IBufferWriter<byte> output, AuditRow row)
        {
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(row);
            ReadOnlySpan<byte> payload = row.Payload.Span;
            if (!BinaryAuditPayload.LinksCompactly(payload))
            {
                throw new ArgumentException("The journal takes rows whose payload links them compactly only", nameof(row));
            }

            if (!Continues(row))
            {
                WriteChain(output, row);
            }

            int length = RowFrameLength(payload.Length);
            WriteRow(output.GetSpan(length)[..length], row);
            output.Advance(length);
        }

        /// <summary>
        /// The length of <paramref name="row"/>'s frame when it continues the row written before (it then needs no chain
        /// frame, and <see cref="WriteContinuing"/> writes it); 0 when it does not.
        /// </summary>
        public int ContinuingLength(AuditRow row)
        {
            ArgumentNullException.ThrowIfNull(row);
            return Continues(row) && BinaryAuditPayload.LinksCompactly(row.Payload.Span) ? RowFrameLength(row.Payload.Length) : 0;
        }

        /// <summary>Writes a row whose <see cref="ContinuingLength"/> is the length of <paramref name="frame"/>.</summary>
        public void WriteContinuing(Span<byte> frame, AuditRow row)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (frame.Length != ContinuingLength(row))
            {
                throw new ArgumentException("The row does not continue the one before, or the frame is not its length", nameof(row));
            }

            WriteRow(frame, row);
        }

        private static int RowFrameLength(int payloadLength) => 4 + 1 + payloadLength + HashSize;

        private bool Continues(AuditRow row) =>
            string.Equals(_chainId, row.ChainId, StringComparison.Ordinal)
            && row.Sequence == _sequence + 1
            && row.PreviousHash.Span.SequenceEqual(_hash.Span);

        private void WriteRow(Span<byte> frame, AuditRow row)
        {
            ReadOnlySpan<byte> payload = row.Payload.Span;
            BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
            frame[4] = RowKind;
            payload.CopyTo(frame[5..]);
            row.Hash.Span.CopyTo(frame[(5 + payload.Length)..]);
            _sequence = row.Sequence;
            _hash = row.Hash;
        }

        private void WriteChain(IBufferWriter<byte> output, AuditRow row)
        {
            int chainBytes = Encoding.UTF8.GetByteCount(row.ChainId);
            int checkedBytes = 3 + chainBytes + 8 + HashSize;
            Span<byte> span = output.GetSpan(4 + checkedBytes + HashSize);
            BinaryPrimitives.WriteInt32LittleEndian(span, checkedBytes + HashSize);
            Span<byte> frame = span[4..];
            frame[0] = ChainKind;
            BinaryPrimitives.WriteUInt16LittleEndian(frame[1..], checked((ushort)chainBytes));
            Encoding.UTF8.GetBytes(row.ChainId, frame[3..]);
            BinaryPrimitives.WriteInt64LittleEndian(frame[(3 + chainBytes)..], row.Sequence - 1);
            row.PreviousHash.Span.CopyTo(frame[(3 + chainBytes + 8)..]);
            AuditChainCrypto.Hash(frame[..checkedBytes]).CopyTo(frame[checkedBytes..]);
            output.Advance(4 + checkedBytes + HashSize);
            _chainId = row.ChainId;
        }
    }
}
