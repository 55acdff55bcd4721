using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>Read audits as the journal takes them, and segments as earlier versions wrote them (still read at start-up).</summary>
internal static class JournalTestRows
{
    public static JournaledRow Of(AuditRecord record, string group, long index, int width = AuditChainGroup.MaxWidth) =>
        new(group, width, index, record.When.ToUnixTimeMilliseconds(), record.Who, AuditLane.DistinctPatients(record.Patients), AuditPayload.Write(record));

    public static List<JournaledRow> Of(IEnumerable<AuditRecord> records, string group, long first = 0, int width = AuditChainGroup.MaxWidth) =>
        [.. records.Select((r, i) => Of(r, group, first + i, width))];

    /// <summary>A segment of chained rows as versions before chain groups wrote it: chain frames (kind 1), then rows (kind 2).</summary>
    public static byte[] ChainedSegment(IReadOnlyList<AuditRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), AuditJournalFrames.SegmentMark);
        buffer.Advance(4);
        AuditRow? before = null;
        foreach (AuditRow row in rows)
        {
            if (before is null || before.ChainId != row.ChainId || before.Sequence + 1 != row.Sequence)
            {
                byte[] chain = Encoding.UTF8.GetBytes(row.ChainId);
                byte[] checkedBytes = [1, .. BitConverter.GetBytes((ushort)chain.Length), .. chain, .. BitConverter.GetBytes(row.Sequence - 1), .. row.PreviousHash.Span];
                byte[] chainFrame = [.. checkedBytes, .. AuditChainCrypto.Hash(checkedBytes)];
                buffer.Write([.. BitConverter.GetBytes(chainFrame.Length), .. chainFrame]);
            }

            byte[] rowFrame = [2, .. row.Payload.Span, .. row.Hash.Span];
            buffer.Write([.. BitConverter.GetBytes(rowFrame.Length), .. rowFrame]);
            before = row;
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The oldest frames: every field of the row in every frame, no segment mark.</summary>
    public static void WriteFullFrame(ArrayBufferWriter<byte> buffer, AuditRow row)
    {
        byte[] chain = Encoding.UTF8.GetBytes(row.ChainId);
        byte[] body =
        [
            .. BitConverter.GetBytes((ushort)chain.Length), .. chain, .. BitConverter.GetBytes(row.Sequence),
            .. BitConverter.GetBytes(row.Recorded.ToUnixTimeMilliseconds()), .. BitConverter.GetBytes(row.Payload.Length),
            .. row.Payload.Span, .. row.Hash.Span, .. row.PreviousHash.Span,
        ];
        buffer.Write([.. BitConverter.GetBytes(body.Length), .. body]);
    }

    public static IEnumerable<(string, long, long, string?, string, string)> Described(IEnumerable<JournaledRow> rows) =>
        rows.Select(r => (r.Group + "/" + r.GroupWidth, r.Index, r.RecordedMillis, r.Agent, string.Join(",", r.Patients), Convert.ToHexString(r.Payload)));

    public static IEnumerable<(string, long, string?, string, string)> Described(IEnumerable<AuditRow> rows) =>
        rows.Select(r => (r.ChainId, r.Sequence, r.Agent, Convert.ToHexString(r.Hash.Span), Convert.ToHexString(r.PreviousHash.Span)));
}
