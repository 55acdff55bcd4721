using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// One chain being written. Used by one holder at a time (see <see cref="AuditLanes"/>): rows are chained onto the
/// committed head, and the head moves only once they are durable.
/// </summary>
internal sealed class AuditLane(string chainId)
{
    private LaneHead _head = new(chainId, 0, AuditRowHash.GenesisOf(chainId));

    public LaneHead Head => Volatile.Read(ref _head);

    /// <summary>The records as rows continuing this chain; nothing changes until <see cref="Advance(IReadOnlyList{AuditRow})"/>.</summary>
    public IReadOnlyList<AuditRow> Extend(IReadOnlyList<AuditRecord> records)
    {
        LaneHead head = Head;
        var rows = new AuditRow[records.Count];
        ReadOnlyMemory<byte> previous = head.Hash;
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = Link(records[i], head.ChainId, head.Sequence + i + 1, previous);
            previous = rows[i].Hash;
        }

        return rows;
    }

    public void Advance(IReadOnlyList<AuditRow> rows)
    {
        if (rows.Count > 0)
        {
            Advance(rows[^1]);
        }
    }

    public void Advance(AuditRow last) => Volatile.Write(ref _head, new LaneHead(last.ChainId, last.Sequence, last.Hash));

    /// <summary>Continues on a fresh chain; returns the head the old chain ended with.</summary>
    public LaneHead Restart(string newChainId)
    {
        LaneHead old = Head;
        Volatile.Write(ref _head, new LaneHead(newChainId, 0, AuditRowHash.GenesisOf(newChainId)));
        return old;
    }

    private static AuditRow Link(AuditRecord record, string chainId, long sequence, ReadOnlyMemory<byte> previous)
    {
        long recorded = record.When.ToUnixTimeMilliseconds();
        byte[] payload = AuditPayload.Write(record);
        byte[] hash = AuditRowHash.Compute(previous.Span, chainId, sequence, recorded, payload);
        return new AuditRow(
            chainId, sequence, DateTimeOffset.FromUnixTimeMilliseconds(recorded), record.Who, DistinctPatients(record.Patients), payload, hash, previous);
    }

    internal static IReadOnlyList<string> DistinctPatients(IReadOnlyList<string> patients) =>
        patients.Count < 2 ? patients : [.. patients.Distinct(StringComparer.Ordinal)];
}
