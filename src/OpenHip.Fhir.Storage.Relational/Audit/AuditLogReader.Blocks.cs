using System.Data.Common;
using System.Runtime.CompilerServices;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>The reads of <c>audit_block</c>: each block found is unpacked into its events.</summary>
public sealed partial class AuditLogReader
{
    private const string BlockColumns = "b.first_aid, b.count, b.chain_id, b.first_seq, b.first_recorded, b.prev_hash, b.body";

    // Blocks per batch of a time or chain walk: each holds up to AuditBlock.MaxEvents events.
    private const int BlockBatch = 8;

    private async Task<IReadOnlyList<StoredAuditRow>> BlockContainingAsync(long id, CancellationToken cancellationToken)
    {
        string sql = $"SELECT {BlockColumns} FROM audit_block b WHERE b.first_aid <= {P("aid")} ORDER BY b.first_aid DESC LIMIT 1";
        List<IReadOnlyList<StoredAuditRow>> blocks = await BlocksAsync(sql, [new("aid", id)], cancellationToken).ConfigureAwait(false);
        return blocks.Count == 0 ? [] : blocks[0];
    }

    /// <summary>The events with these ids that are in blocks, each block read once.</summary>
    private async Task<IReadOnlyDictionary<long, StoredAuditRow>> ResolveInBlocksAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, StoredAuditRow>();
        foreach (long id in ids.Order())
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            foreach (StoredAuditRow e in await BlockContainingAsync(id, cancellationToken).ConfigureAwait(false))
            {
                found.TryAdd(e.Id, e);
            }
        }

        return found;
    }

    /// <summary>
    /// The blocks that can hold events from <paramref name="lowest"/> (inclusive) to <paramref name="until"/> (exclusive), by
    /// their earliest event (the newest first when <paramref name="newestFirst"/>): a block starts at most
    /// <see cref="AuditBlock.MaxSpanMillis"/> before any of its events.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<StoredAuditRow>> BlocksInWindowAsync(
        long? lowest, long? until, string? agent, bool newestFirst, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string beyond = newestFirst ? "<" : ">";
        string order = newestFirst ? "b.first_recorded DESC, b.first_aid DESC" : "b.first_recorded, b.first_aid";
        (long Recorded, long Aid)? after = null;
        while (true)
        {
            var filters = new List<string>();
            var values = new List<KeyValuePair<string, object?>>();
            if (lowest is { } low)
            {
                filters.Add($"b.first_recorded >= {P("low")}");
                values.Add(new("low", low - AuditBlock.MaxSpanMillis));
            }

            if (until is { } high)
            {
                filters.Add($"b.first_recorded < {P("high")}");
                values.Add(new("high", high));
            }

            if (agent is not null)
            {
                filters.Add($"b.first_aid IN (SELECT a.first_aid FROM audit_block_agent a WHERE a.agent = {P("agent")})");
                values.Add(new("agent", agent));
            }

            if (after is { } k)
            {
                filters.Add($"(b.first_recorded {beyond} {P("kr")} OR (b.first_recorded = {P("kr")} AND b.first_aid {beyond} {P("ka")}))");
                values.Add(new("kr", k.Recorded));
                values.Add(new("ka", k.Aid));
            }

            values.Add(new("limit", (long)BlockBatch));
            string where = filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters);
            List<IReadOnlyList<StoredAuditRow>> blocks = await BlocksAsync(
                $"SELECT {BlockColumns} FROM audit_block b{where} ORDER BY {order} LIMIT {P("limit")}", values, cancellationToken)
                .ConfigureAwait(false);
            foreach (IReadOnlyList<StoredAuditRow> block in blocks)
            {
                yield return block;
            }

            if (blocks.Count < BlockBatch)
            {
                yield break;
            }

            IReadOnlyList<StoredAuditRow> last = blocks[^1];
            after = (last.Min(e => e.Row.Recorded.ToUnixTimeMilliseconds()), last[0].Id);
        }
    }

    /// <summary>
    /// The chain's block events after <paramref name="after"/> from the next few blocks, and whether more blocks may follow.
    /// A block starts at most <see cref="AuditBlock.MaxEvents"/> sequences before any of its events.
    /// </summary>
    private async Task<(IReadOnlyList<StoredAuditRow> Events, bool More)> ChainBlocksAsync(string chainId, long after, CancellationToken cancellationToken)
    {
        long from = after < long.MinValue + AuditBlock.MaxEvents ? long.MinValue : after - AuditBlock.MaxEvents;
        string sql = $"SELECT {BlockColumns} FROM audit_block b WHERE b.chain_id = {P("chain")} AND b.first_seq > {P("from")}"
            + $" AND b.first_seq + b.count - 1 > {P("after")} ORDER BY b.first_seq LIMIT {P("limit")}";
        List<IReadOnlyList<StoredAuditRow>> blocks = await BlocksAsync(
            sql, [new("chain", chainId), new("from", from), new("after", after), new("limit", (long)BlockBatch)], cancellationToken).ConfigureAwait(false);
        return ([.. blocks.SelectMany(b => b).Where(e => e.Row.Sequence > after)], blocks.Count == BlockBatch);
    }

    /// <summary>Each chain's newest block: its last event, and the number of events in all the chain's blocks.</summary>
    private async Task<IReadOnlyList<AuditChainHead>> BlockHeadsAsync(CancellationToken cancellationToken)
    {
        string sql =
            $"""
            SELECT {BlockColumns}, h.n
            FROM (SELECT chain_id, MAX(first_seq) AS s, SUM(count) AS n FROM audit_block GROUP BY chain_id) h
            JOIN audit_block b ON b.chain_id = h.chain_id AND b.first_seq = h.s
            """;
        var heads = new List<AuditChainHead>();
        await ReadAsync(sql, [], reader =>
        {
            long count = Convert.ToInt64(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                StoredAuditRow last = Block(reader)[^1];
                heads.Add(new AuditChainHead(last.Row.ChainId, last.Row.Sequence, count, last.Row.Recorded, last.Row.Hash));
            }
            catch (UnreadableAuditBlockException)
            {
                // Where the chain ends is still known from the row; reading the chain reports the block itself.
                heads.Add(new AuditChainHead(
                    reader.GetString(2), reader.GetInt64(3) + reader.GetInt32(1) - 1, count, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), ReadOnlyMemory<byte>.Empty));
            }
        }, cancellationToken).ConfigureAwait(false);
        return heads;
    }

    private async Task<List<IReadOnlyList<StoredAuditRow>>> BlocksAsync(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> values, CancellationToken cancellationToken)
    {
        var blocks = new List<IReadOnlyList<StoredAuditRow>>();
        await ReadAsync(sql, values, reader => blocks.Add(Block(reader)), cancellationToken).ConfigureAwait(false);
        return blocks;
    }

    /// <summary>The block whose <see cref="BlockColumns"/> start the reader's row.</summary>
    private static IReadOnlyList<StoredAuditRow> Block(DbDataReader reader) => AuditBlock.Decode(
        reader.GetInt64(0),
        reader.GetInt32(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        reader.GetFieldValue<byte[]>(5),
        reader.GetFieldValue<byte[]>(6));
}
