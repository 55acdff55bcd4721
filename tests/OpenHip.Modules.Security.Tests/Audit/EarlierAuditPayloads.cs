using System.Buffers;
using System.Buffers.Binary;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>Payloads as builds before version 5 wrote them (versions 3 and 4: every field a plain string), written here
/// independently of the server's writer so that reading them tests the reader.</summary>
internal static class EarlierAuditPayloads
{
    public static byte[] Write(AuditRecord record, byte version)
    {
        Assert.InRange(version, 3, 4);
        var buffer = new ArrayBufferWriter<byte>();
        Span<byte> head = buffer.GetSpan(12);
        head[0] = version;
        BinaryPrimitives.WriteInt64LittleEndian(head[1..], record.When.UtcTicks);
        BinaryPrimitives.WriteUInt16LittleEndian(head[9..], (ushort)record.Outcome);
        head[11] = (byte)(record.Priority == AuditPriority.High ? 1 : 0);
        buffer.Advance(12);
        foreach (string? field in (string?[])[record.Interaction, record.Who, record.Source, record.Resource, record.CorrelationId, record.ClientId, record.User, record.NetworkAddress, record.Query])
        {
            CompactEncoding.WriteString(buffer, field);
        }

        foreach (IReadOnlyList<string> list in (IReadOnlyList<string>[])[record.Patients, record.PurposeOfUse])
        {
            CompactEncoding.WriteVarint(buffer, (uint)list.Count);
            foreach (string value in list)
            {
                CompactEncoding.WriteString(buffer, value);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }
}
