using System.Runtime.CompilerServices;
using OpenHip.Fhir.Audit;

namespace OpenHip.Fhir.Storage.Relational.Audit;

/// <summary>
/// One audit log kept in two sets of tables: the write audits with their data (<paramref name="withData"/>), everything
/// else apart (<paramref name="apart"/>), whose event ids all start at <paramref name="firstApartId"/>. A chain may have
/// events in both; every read merges them in the order the single log would give.
/// </summary>
public sealed class SplitAuditLog(IAuditLogReads withData, IAuditLogReads apart, long firstApartId) : IAuditLogReads
{
    public Task<StoredAuditRow?> ReadAuditAsync(long id, CancellationToken cancellationToken) =>
        (id >= firstApartId ? apart : withData).ReadAuditAsync(id, cancellationToken);

    /// <summary>Each side's page after the same cursor holds the first events of that side, so the merged page is among them.</summary>
    public async Task<AuditPage> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Task<AuditPage> first = withData.SearchAuditAsync(query, cancellationToken);
        AuditPage second = await apart.SearchAuditAsync(query, cancellationToken).ConfigureAwait(false);
        AuditPage other = await first.ConfigureAwait(false);
        if (other.Rows.Count == 0)
        {
            return second;
        }

        if (second.Rows.Count == 0)
        {
            return other;
        }

        List<StoredAuditRow> rows = [.. other.Rows, .. second.Rows];
        rows.Sort(query.Compare);
        bool more = rows.Count > query.Count || other.Next is not null || second.Next is not null;
        if (rows.Count > query.Count)
        {
            rows.RemoveRange(query.Count, rows.Count - query.Count);
        }

        return new AuditPage(rows, more ? AuditLogReader.EncodeCursor(rows[^1].Row.Recorded.ToUnixTimeMilliseconds(), rows[^1].Id) : null);
    }

    /// <summary>Both sides' events of the chain, merged by sequence; an event stored twice comes out twice, for the verifier to see.</summary>
    public async IAsyncEnumerable<StoredAuditRow> StreamChainAsync(string chainId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<StoredAuditRow> left = withData.StreamChainAsync(chainId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (left.ConfigureAwait(false))
        {
            IAsyncEnumerator<StoredAuditRow> right = apart.StreamChainAsync(chainId, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (right.ConfigureAwait(false))
            {
                bool hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                bool hasRight = await right.MoveNextAsync().ConfigureAwait(false);
                while (hasLeft || hasRight)
                {
                    if (hasLeft && (!hasRight || left.Current.Row.Sequence <= right.Current.Row.Sequence))
                    {
                        yield return left.Current;
                        hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        yield return right.Current;
                        hasRight = await right.MoveNextAsync().ConfigureAwait(false);
                    }
                }
            }
        }
    }

    public async Task<IReadOnlyList<AuditPatientEntry>> ReadPatientEntriesAsync(IReadOnlyList<(string Patient, long Id)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        IReadOnlyList<AuditPatientEntry> first = await withData.ReadPatientEntriesAsync([.. keys.Where(k => k.Id < firstApartId)], cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AuditPatientEntry> second = await apart.ReadPatientEntriesAsync([.. keys.Where(k => k.Id >= firstApartId)], cancellationToken).ConfigureAwait(false);
        return [.. first, .. second];
    }

    public async Task<long> CountPatientEntriesAsync(CancellationToken cancellationToken) =>
        await withData.CountPatientEntriesAsync(cancellationToken).ConfigureAwait(false)
        + await apart.CountPatientEntriesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A chain's head is its newest event on either side; its count is both sides' together.</summary>
    public async Task<IReadOnlyList<AuditChainHead>> ListChainsAsync(CancellationToken cancellationToken)
    {
        var heads = (await withData.ListChainsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(h => h.ChainId, StringComparer.Ordinal);
        foreach (AuditChainHead head in await apart.ListChainsAsync(cancellationToken).ConfigureAwait(false))
        {
            heads[head.ChainId] = heads.TryGetValue(head.ChainId, out AuditChainHead? other)
                ? (other.Sequence > head.Sequence ? other : head) with { Count = other.Count + head.Count }
                : head;
        }

        return [.. heads.Values.OrderBy(h => h.ChainId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<AuditCheckpointRow>> ReadCheckpointsAsync(string? node, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditCheckpointRow> first = await withData.ReadCheckpointsAsync(node, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AuditCheckpointRow> second = await apart.ReadCheckpointsAsync(node, cancellationToken).ConfigureAwait(false);
        return first.Count == 0 ? second : [.. first.Concat(second).OrderBy(c => c.Node, StringComparer.Ordinal).ThenBy(c => c.Number)];
    }
}
