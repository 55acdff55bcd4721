using System.Buffers;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;
using static OpenHip.Modules.Security.Tests.Audit.JournalTestRows;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditJournalFramesTests
{
    [Fact]
    public void Read_WholeFrames_GivesTheRowsBack()
    {
        (List<JournaledRow> rows, byte[] data) = ThreeFrames();

        AuditJournalContents read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Equal(data.Length, consumed);
        Assert.Empty(read.Chained);
        Assert.Equal(Described(rows), Described(read.Unchained));
        Assert.Equal(["p1"], read.Unchained[2].Patients);
    }

    [Fact]
    public void Write_RowsOfOneGroup_RepeatNothingButTheirPayload()
    {
        (List<JournaledRow> rows, byte[] data) = ThreeFrames();

        // The segment's mark, one group frame, then per row its length, kind, payload and checksum only.
        int groupFrame = FrameStart(data, 1) - FrameStart(data, 0);
        Assert.Equal(4 + groupFrame + rows.Sum(r => 4 + 1 + r.Payload.Length + 4), data.Length);
    }

    [Fact]
    public void Read_ARowWhereTheGroupBreaks_IsPrecededByAGroupFrame()
    {
        JournaledRow[] rows =
            [Of(Read(0), "node-x.1", 0), Of(Read(1), "node-x.2", 0), Of(Read(2), "node-x.1", 1), Of(Read(3), "node-x.1", 5), Of(Read(4), "node-x.1", 6, width: 4)];

        AuditJournalContents read = AuditJournalFrames.Read(Segment(rows), out _);

        Assert.Equal(Described(rows), Described(read.Unchained));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(60)]
    public void Read_TornLastFrame_StopsBeforeIt(int cut)
    {
        (_, byte[] data) = ThreeFrames();
        Assert.True(data.Length - FrameStart(data, 3) > cut);

        AuditJournalContents read = AuditJournalFrames.Read(data.AsSpan(0, data.Length - cut), out int consumed);

        Assert.Equal(2, read.Count);
        Assert.Equal(FrameStart(data, 3), consumed);
    }

    [Theory]
    [InlineData(4 + 1 + 1)] // the payload's time, which is the row's recorded time
    [InlineData(4 + 1 + 40)]
    [InlineData(-1)] // the checksum
    public void Read_ByteChangedInTheSecondRow_StopsThere(int offset)
    {
        (_, byte[] data) = ThreeFrames();
        data[offset >= 0 ? FrameStart(data, 2) + offset : FrameStart(data, 3) + offset] ^= 0x01;

        AuditJournalContents read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read.Unchained);
        Assert.Equal(FrameStart(data, 2), consumed);
    }

    [Theory]
    [InlineData(4 + 1 + 2)]
    [InlineData(4 + 1 + 2 + 8)]
    [InlineData(4 + 1 + 2 + 8 + 8)]
    public void Read_GroupFrameDamaged_ReadsNoRow(int offset)
    {
        (_, byte[] data) = ThreeFrames();

        // In the group id, its width, the index: each would give the rows another place, so none is read.
        data[FrameStart(data, 0) + offset] ^= 0x01;

        AuditJournalContents read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Equal(0, read.Count);
        Assert.Equal(FrameStart(data, 0), consumed);
    }

    [Fact]
    public void Read_RowWithoutAGroupFrameBeforeIt_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();
        byte[] withoutGroup = [.. data.AsSpan(0, 4), .. data.AsSpan(FrameStart(data, 1))];

        AuditJournalContents read = AuditJournalFrames.Read(withoutGroup, out int consumed);

        Assert.Equal(0, read.Count);
        Assert.Equal(4, consumed);
    }

    [Fact]
    public void Read_ChainedSegmentWrittenBefore_StillReads()
    {
        var first = new AuditLane("node-x.1");
        var second = new AuditLane("node-x.2");
        AuditRow[] rows = [.. first.Extend([Read(0)]), .. second.Extend([Read(1)])];
        first.Advance(rows[0]);
        rows = [.. rows, .. first.Extend([Read(2)])];

        AuditJournalContents read = AuditJournalFrames.Read(ChainedSegment(rows), out _);

        Assert.Empty(read.Unchained);
        Assert.Equal(Described(rows), Described(read.Chained));
    }

    [Fact]
    public void Read_ChainedRowWrittenBeforeChanged_StopsThere()
    {
        IReadOnlyList<AuditRow> rows = new AuditLane("node-x.1").Extend([.. Enumerable.Range(0, 3).Select(Read)]);
        byte[] data = ChainedSegment(rows);
        data[FrameStart(data, 2) + 40] ^= 0x01;

        AuditJournalContents read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read.Chained);
        Assert.Equal(FrameStart(data, 2), consumed);
    }

    [Fact]
    public void Read_SegmentOfFullFramesWrittenBefore_StillReads()
    {
        IReadOnlyList<AuditRow> rows = new AuditLane("node-x.1").Extend([Read(0), Read(1)]);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (AuditRow row in rows)
        {
            WriteFullFrame(buffer, row);
        }

        AuditJournalContents read = AuditJournalFrames.Read(buffer.WrittenSpan, out int consumed);

        Assert.Equal(buffer.WrittenCount, consumed);
        Assert.Equal(Described(rows), Described(read.Chained));
    }

    [Fact]
    public void Append_ABatchLargerThanASegment_GetsASegmentWithRoomForItsGroupFrame()
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using AuditJournal journal = AuditJournal.Open(directory, 4_096);
            journal.Append([Of(Read(0), "node-x.1", 0)]);

            // Following the row before, these rows need no group frame where they are; at the start of a new segment they do.
            List<JournaledRow> large = Of(Enumerable.Range(1, 60).Select(Read), "node-x.1", 1);
            long segment = journal.Append(large);

            Assert.Equal(Described(large), Described(journal.Read(segment, out bool damaged).Unchained));
            Assert.False(damaged);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Append_OneRowAtATime_WritesWhatOneBatchWrites()
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("N"));
        try
        {
            List<JournaledRow> rows = Of(Enumerable.Range(0, 80).Select(Read), "node-x.1");
            using (AuditJournal single = AuditJournal.Open(Path.Combine(directory, "single"), 4_096))
            {
                // 80 rows overflow a 4 KiB segment: the later appends roll to new segments and start them afresh.
                foreach (JournaledRow row in rows)
                {
                    single.Append(row);
                }

                List<JournaledRow> read = [.. Enumerable.Range(1, (int)single.CurrentSegment).SelectMany(s => single.Read(s, out _).Unchained)];
                Assert.True(single.CurrentSegment > 1);
                Assert.Equal(Described(rows), Described(read));
            }

            using (AuditJournal batch = AuditJournal.Open(Path.Combine(directory, "batch"), 1 << 20))
            using (AuditJournal single = AuditJournal.Open(Path.Combine(directory, "single-large"), 1 << 20))
            {
                batch.Append(rows);
                foreach (JournaledRow row in rows)
                {
                    single.Append(row);
                }

                Assert.Equal(
                    File.ReadAllBytes(Path.Combine(directory, "batch", "000000000001.journal")),
                    File.ReadAllBytes(Path.Combine(directory, "single-large", "000000000001.journal")));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void WriteContinuing_ARowThatDoesNotFollow_IsRefused()
    {
        var writer = new AuditJournalFrames.Writer();
        writer.Write(new ArrayBufferWriter<byte>(), Of(Read(0), "node-x.1", 0));
        JournaledRow other = Of(Read(1), "node-x.2", 1);
        JournaledRow skipped = Of(Read(1), "node-x.1", 2);

        Assert.Equal(0, writer.ContinuingLength(other));
        Assert.Equal(0, writer.ContinuingLength(skipped));
        Assert.Throws<ArgumentException>(() => writer.WriteContinuing(new byte[200], other));
    }

    private static AuditRecord Read(int i) => AuditLogHarness.Read("p1", "dr-" + i, DateTimeOffset.UtcNow);

    private static (List<JournaledRow> Rows, byte[] Data) ThreeFrames()
    {
        List<JournaledRow> rows = Of(Enumerable.Range(0, 3).Select(Read), "node-x.1", 7);
        return (rows, Segment(rows));
    }

    private static byte[] Segment(IReadOnlyList<JournaledRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        BitConverter.TryWriteBytes(buffer.GetSpan(4), AuditJournalFrames.SegmentMark);
        buffer.Advance(4);
        var writer = new AuditJournalFrames.Writer();
        foreach (JournaledRow row in rows)
        {
            writer.Write(buffer, row);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Where the frame numbered index (0 for the first after the segment's mark) starts.
    private static int FrameStart(byte[] data, int index)
    {
        int at = 4;
        for (int i = 0; i < index; i++)
        {
            at += 4 + BitConverter.ToInt32(data, at);
        }

        return at;
    }
}
