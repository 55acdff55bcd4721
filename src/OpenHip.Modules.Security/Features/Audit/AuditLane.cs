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

    /// <summary>The records as rows continuing this chain; nothing changes until <see cref="Advance"/>.</summary>
    public IReadOnlyList<AuditRow> Extend(IReadOnlyList<AuditRecord> records)
    {
        LaneHead head = Head;
        var rows = new AuditRow[records.Count];
        ReadOnlyMemory<byte> previous = head.Hash;
        for (int i = 0; i < rows.Length; i++)
        {
            AuditRecord record = records[i];
            long sequence = head.Sequence + i + 1;
            long recorded = record.When.ToUnixTimeMilliseconds();
            byte[] payload = AuditPayload.Write(record);
            byte[] hash = AuditRowHash.Compute(previous.Span, head.ChainId, sequence, recorded, payload);
            rows[i] = new AuditRow(
                head.ChainId, sequence, DateTimeOffset.FromUnixTimeMilliseconds(recorded), record.Who, DistinctPatients(record.Patients), payload, hash, previous);
            previous = hash;
        }

        return rows;
    }

    public void Advance(IReadOnlyList<AuditRow> rows)
    {
        if (rows.Count > 0)
        {
            AuditRow last = rows[^1];
            Volatile.Write(ref _head, new LaneHead(last.ChainId, last.Sequence, last.Hash));
        }
    }

    /// <summary>Continues on a fresh chain; returns the head the old chain ended with.</summary>
    public LaneHead Restart(string newChainId)
    {
        LaneHead old = Head;
        Volatile.Write(ref _head, new LaneHead(newChainId, 0, AuditRowHash.GenesisOf(newChainId)));
        return old;
    }

    internal static IReadOnlyList<string> DistinctPatients(IReadOnlyList<string> patients) =>
        patients.Count < 2 ? patients : [.. patients.Distinct(StringComparer.Ordinal)];
}
