using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// hash_n = SM3(hash_(n-1) || canonical bytes of row n). The canonical bytes bind the row to its chain and position, so a
/// row copied to another chain or place, or an edited time or payload, no longer matches:
/// <c>u16 len(chain id) | chain id (UTF-8) | i64 sequence | i64 recorded (unix ms) | i32 len(payload) | payload</c>, big-endian.
/// </summary>
internal static class AuditRowHash
{
    /// <summary>The "previous hash" of a chain's first row.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[AuditChainCrypto.HashSize];

    public static byte[] Compute(ReadOnlySpan<byte> previousHash, string chainId, long sequence, long recordedMillis, ReadOnlySpan<byte> payload)
    {
        int chainBytes = Encoding.UTF8.GetByteCount(chainId);
        int length = previousHash.Length + 2 + chainBytes + 8 + 8 + 4 + payload.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> buffer = rented.AsSpan(0, length);
            previousHash.CopyTo(buffer);
            int at = previousHash.Length;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[at..], checked((ushort)chainBytes));
            at += 2;
            at += Encoding.UTF8.GetBytes(chainId, buffer[at..]);
            BinaryPrimitives.WriteInt64BigEndian(buffer[at..], sequence);
            at += 8;
            BinaryPrimitives.WriteInt64BigEndian(buffer[at..], recordedMillis);
            at += 8;
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], payload.Length);
            at += 4;
            payload.CopyTo(buffer[at..]);
            return AuditChainCrypto.Hash(buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The hash the row should carry, recomputed from its stored fields and its own previous hash.</summary>
    public static byte[] Of(AuditRow row) =>
        Compute(row.PreviousHash.Span, row.ChainId, row.Sequence, row.Recorded.ToUnixTimeMilliseconds(), row.Payload.Span);
}
