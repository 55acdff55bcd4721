using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// The link of a row to its chain, in one of two forms told apart by the payload's first byte.
/// <para>
/// Payload versions 4 and 5 (5 written now): <c>hash_n = SM3(hash_(n-1) || payload)</c>, the first row's previous hash being
/// <see cref="GenesisOf"/> the chain id. The chain id is bound through that genesis, the sequence by the row's place in
/// the chain (the verifier counts the links from the genesis), and the recorded time by the payload's own time, which
/// the row's must equal (<see cref="Matches(AuditRow)"/>).
/// </para>
/// <para>
/// Earlier payloads: <c>hash_n = SM3(hash_(n-1) || u16 len(chain id) | chain id | i64 sequence | i64 recorded (unix ms) |
/// i32 len(payload) | payload)</c>, big-endian, the first row's previous hash being 32 zero bytes. Rows are never
/// rewritten, so chains written that way verify as written.
/// </para>
/// </summary>
/// <remarks>
/// Every audited read hashes its row on the request's path; the fields the old form repeated beside the payload were a
/// sixth of its SM3 input (docs/performance.md, "Nineteenth look").
/// </remarks>
internal static class AuditRowHash
{
    private static readonly byte[] GenesisDomain = "OpenHIP audit chain\0"u8.ToArray();

    /// <summary>The previous hash of a chain's first row when its payload is older than version 4.</summary>
    public static ReadOnlyMemory<byte> OldGenesis { get; } = new byte[AuditChainCrypto.HashSize];

    /// <summary>The previous hash of a chain's first row: SM3 of a fixed domain and the chain id.</summary>
    public static byte[] GenesisOf(string chainId)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        byte[] input = [.. GenesisDomain, .. Encoding.UTF8.GetBytes(chainId)];
        return AuditChainCrypto.Hash(input);
    }

    /// <summary>
    /// The previous hash the first row of <paramref name="chainId"/> must name: zeros where it names zeros (a chain begun
    /// before version 4), else the chain's genesis. Not told by the first payload's version, which an edit may change:
    /// an edited first row then fails its own hash (modified) instead of its link (misplaced).
    /// </summary>
    public static ReadOnlyMemory<byte> GenesisFor(string chainId, ReadOnlySpan<byte> namedPrevious) =>
        namedPrevious.SequenceEqual(OldGenesis.Span) ? OldGenesis : GenesisOf(chainId);

    public static byte[] Compute(ReadOnlySpan<byte> previousHash, string chainId, long sequence, long recordedMillis, ReadOnlySpan<byte> payload)
    {
        if (LinksCompactly(payload))
        {
            return AuditChainCrypto.Hash(previousHash, payload);
        }

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

    /// <summary>
    /// Whether <paramref name="hash"/> is the row's link: the hash over its fields and previous hash, and, for a version 4
    /// or 5 payload (whose link leaves the time to the payload), a recorded time equal to the payload's.
    /// </summary>
    public static bool Matches(
        ReadOnlySpan<byte> hash, ReadOnlySpan<byte> previousHash, string chainId, long sequence, long recordedMillis, ReadOnlySpan<byte> payload) =>
        hash.SequenceEqual(Compute(previousHash, chainId, sequence, recordedMillis, payload))
        && (!LinksCompactly(payload) || BinaryAuditPayload.RecordedMillisOf(payload) == recordedMillis);

    /// <summary><see cref="Matches(ReadOnlySpan{byte}, ReadOnlySpan{byte}, string, long, long, ReadOnlySpan{byte})"/> for a stored row.</summary>
    public static bool Matches(AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Matches(row.Hash.Span, row.PreviousHash.Span, row.ChainId, row.Sequence, row.Recorded.ToUnixTimeMilliseconds(), row.Payload.Span);
    }

    private static bool LinksCompactly(ReadOnlySpan<byte> payload) => BinaryAuditPayload.LinksCompactly(payload);
}
