using System.Buffers;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>
/// Consecutive events of one chain kept as one row of <c>audit_block</c>: a journal move of thousands of reads costs a
/// statement and a few B-tree entries per block instead of a row and four index entries per event
/// (docs/performance.md, "Tenth pass"). Readers unpack blocks into the same <see cref="StoredAuditRow"/>s a row gives, so
/// search, <c>audit verify</c> and the patient view see no difference.
/// </summary>
/// <remarks>
/// Body, format 1: <c>u8 1 | varint agent count | agents (varint length + 1, 0 for none; UTF-8) | per event: varint
/// (recorded − first recorded, ms) | varint agent index | varint payload length | payload | hash</c>. Each event's hash is
/// as long as the block's previous hash; an event's previous hash is the hash of the event before it. The events' ids,
/// sequences and count come from the row.
/// </remarks>
public static class AuditBlock
{
    /// <summary>At most this many events per block (never lowered: readers look this far back for a sequence).</summary>
    public const int MaxEvents = 128;

    /// <summary>At most this much time between a block's first and last event (never raised: time searches look this far back).</summary>
    public const long MaxSpanMillis = 60_000;

    private const byte Format = 1;

    /// <summary>Splits rows into runs a block can hold: one chain, consecutive sequences, within the count and time limits.</summary>
    public static IReadOnlyList<(int Start, int Count)> Runs(IReadOnlyList<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var runs = new List<(int, int)>();
        int start = 0;
        long min = 0, max = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            long recorded = EpochMillis(rows[i]);
            bool continues = i > start
                && i - start < MaxEvents
                && string.Equals(rows[i].ChainId, rows[i - 1].ChainId, StringComparison.Ordinal)
                && rows[i].Sequence == rows[i - 1].Sequence + 1
                && Math.Max(max, recorded) - Math.Min(min, recorded) <= MaxSpanMillis;
            if (i > start && !continues)
            {
                runs.Add((start, i - start));
                start = i;
            }

            (min, max) = i == start ? (recorded, recorded) : (Math.Min(min, recorded), Math.Max(max, recorded));
        }

        if (rows.Count > start)
        {
            runs.Add((start, rows.Count - start));
        }

        return runs;
    }

    /// <summary>The block of <paramref name="count"/> rows from <paramref name="start"/>, which <see cref="Runs"/> gave.</summary>
    public static EncodedBlock Encode(IReadOnlyList<AuditRow> rows, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long firstRecorded = long.MaxValue;
        long lastRecorded = long.MinValue;
        var agents = new Dictionary<string, int>(StringComparer.Ordinal);
        var agentList = new List<string?> { null };
        for (int i = start; i < start + count; i++)
        {
            long recorded = EpochMillis(rows[i]);
            firstRecorded = Math.Min(firstRecorded, recorded);
            lastRecorded = Math.Max(lastRecorded, recorded);
            if (rows[i].Agent is { } agent && agents.TryAdd(agent, agentList.Count))
            {
                agentList.Add(agent);
            }
        }

        var writer = new ArrayBufferWriter<byte>(count * 256);
        writer.GetSpan(1)[0] = Format;
        writer.Advance(1);
        CompactEncoding.WriteVarint(writer, (uint)agentList.Count);
        foreach (string? agent in agentList)
        {
            CompactEncoding.WriteString(writer, agent);
        }

        for (int i = start; i < start + count; i++)
        {
            AuditRow row = rows[i];
            CompactEncoding.WriteVarint(writer, checked((uint)(EpochMillis(row) - firstRecorded)));
            CompactEncoding.WriteVarint(writer, row.Agent is null ? 0U : (uint)agents[row.Agent]);
            CompactEncoding.WriteVarint(writer, (uint)row.Payload.Length);
            writer.Write(row.Payload.Span);
            if (row.Hash.Length != rows[start].PreviousHash.Length)
            {
                throw new ArgumentException("Every hash of a block is as long as its previous hash", nameof(rows));
            }

            writer.Write(row.Hash.Span);
        }

        return new EncodedBlock(writer.WrittenSpan.ToArray(), firstRecorded, lastRecorded, [.. agents.Keys]);
    }

    /// <summary>The block's events as rows (patients are in their payloads, as with a stored row).</summary>
    /// <exception cref="UnreadableAuditBlockException">The body does not hold <paramref name="count"/> events of format 1.</exception>
    public static IReadOnlyList<StoredAuditRow> Decode(
        long firstId, int count, string chainId, long firstSequence, long firstRecorded, ReadOnlyMemory<byte> previousHash, ReadOnlyMemory<byte> body)
    {
        try
        {
            var rows = new StoredAuditRow[count];
            ReadOnlySpan<byte> span = body.Span;
            int at = 0;
            if (count < 1 || ReadByte(span, ref at) != Format)
            {
                throw new FormatException("not a block of format 1");
            }

            uint agentCount = CompactEncoding.ReadVarint(span, ref at);
            if (agentCount > (uint)count + 1)
            {
                throw new FormatException("more agents than events");
            }

            var agents = new string?[agentCount];
            for (int i = 0; i < agents.Length; i++)
            {
                agents[i] = CompactEncoding.ReadString(span, ref at);
            }

            ReadOnlyMemory<byte> previous = previousHash;
            for (int i = 0; i < count; i++)
            {
                long recorded = checked(firstRecorded + CompactEncoding.ReadVarint(span, ref at));
                string? agent = agents[checked((int)CompactEncoding.ReadVarint(span, ref at))];
                ReadOnlyMemory<byte> payload = Slice(body, ref at, checked((int)CompactEncoding.ReadVarint(span, ref at)));
                ReadOnlyMemory<byte> hash = Slice(body, ref at, previousHash.Length);
                rows[i] = new StoredAuditRow(
                    firstId + i,
                    new AuditRow(chainId, firstSequence + i, DateTimeOffset.FromUnixTimeMilliseconds(recorded), agent, [], payload, hash, previous));
                previous = hash;
            }

            return at == span.Length ? rows : throw new FormatException("bytes after the last event");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new UnreadableAuditBlockException(chainId, firstSequence, DateTimeOffset.FromUnixTimeMilliseconds(firstRecorded), ex);
        }
    }

    private static long EpochMillis(AuditRow row) => row.Recorded.ToUnixTimeMilliseconds();


    private static byte ReadByte(ReadOnlySpan<byte> span, ref int at) => span[at++];

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> body, ref int at, int length)
    {
        ReadOnlyMemory<byte> slice = body.Slice(at, length);
        at += length;
        return slice;
    }
}

/// <summary>A block's body with what its row and agent keys hold.</summary>
/// <param name="Agents">The distinct agents of its events, for <c>audit_block_agent</c>.</param>
public sealed record EncodedBlock(byte[] Body, long FirstRecorded, long LastRecorded, IReadOnlyList<string> Agents);
