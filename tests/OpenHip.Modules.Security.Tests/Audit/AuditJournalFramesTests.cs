using System.Buffers;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditJournalFramesTests
{
    [Fact]
    public void Read_WholeFrames_GivesTheRowsBack()
    {
        (IReadOnlyList<AuditRow> rows, byte[] data) = ThreeFrames();

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Equal(data.Length, consumed);
        Assert.Equal(rows.Select(r => (r.ChainId, r.Sequence, r.Agent, Hash: Convert.ToHexString(r.Hash.Span))), read.Select(r => (r.ChainId, r.Sequence, r.Agent, Hash: Convert.ToHexString(r.Hash.Span))));
        Assert.Equal(["p1"], read[2].Patients);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(100)]
    public void Read_TornLastFrame_StopsBeforeIt(int cut)
    {
        (_, byte[] data) = ThreeFrames();
        Assert.True(data.Length - FrameStart(data, 2) > cut);

        List<AuditRow> read = AuditJournalFrames.Read(data.AsSpan(0, data.Length - cut), out int consumed);

        Assert.Equal(2, read.Count);
        Assert.Equal(FrameStart(data, 2), consumed);
    }

    [Fact]
    public void Read_ByteChangedInTheSecondFrame_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();
        data[FrameStart(data, 1) + 40] ^= 0x01;

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read);
        Assert.Equal(FrameStart(data, 1), consumed);
    }

    [Fact]
    public void Read_RecordedTimeChangedInTheSecondFrame_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();

        // length, u16 and "node-x.1", sequence: then the recorded time, which the chain hash covers through the payload's.
        data[FrameStart(data, 1) + 4 + 2 + 8 + 8] ^= 0x01;

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read);
        Assert.Equal(FrameStart(data, 1), consumed);
    }

    private static (IReadOnlyList<AuditRow> Rows, byte[] Data) ThreeFrames()
    {
        var lane = new AuditLane("node-x.1");
        IReadOnlyList<AuditRow> rows = lane.Extend([.. Enumerable.Range(0, 3).Select(i => AuditLogHarness.Read("p1", "dr-" + i, DateTimeOffset.UtcNow))]);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (AuditRow row in rows)
        {
            AuditJournalFrames.Write(buffer, row);
        }

        return (rows, buffer.WrittenSpan.ToArray());
    }

    private static int FrameStart(byte[] data, int index)
    {
        int at = 0;
        for (int i = 0; i < index; i++)
        {
            at += 4 + BitConverter.ToInt32(data, at);
        }

        return at;
    }
}
