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
        Assert.Equal(Described(rows), Described(read));
        Assert.Equal(["p1"], read[2].Patients);
    }

    [Fact]
    public void Write_RowsOfOneChain_RepeatNeitherChainNorPreviousHash()
    {
        (IReadOnlyList<AuditRow> rows, byte[] data) = ThreeFrames();

        // The segment's mark, one chain frame, then per row its length, kind, payload and hash only.
        int chainFrame = FrameStart(data, 1) - FrameStart(data, 0);
        Assert.Equal(4 + chainFrame + rows.Sum(r => 4 + 1 + r.Payload.Length + 32), data.Length);
    }

    [Fact]
    public void Read_ARowWhereTheChainBreaks_IsPrecededByAChainFrame()
    {
        var first = new AuditLane("node-x.1");
        var second = new AuditLane("node-x.2");
        AuditRow[] rows = [.. first.Extend([Read(0)]), .. second.Extend([Read(1)]), .. first.Extend([Read(2)])];

        List<AuditRow> read = AuditJournalFrames.Read(Segment(rows), out _);

        Assert.Equal(Described(rows), Described(read));
        Assert.Equal(["node-x.1", "node-x.2", "node-x.1"], read.Select(r => r.ChainId));
    }

    [Fact]
    public void Read_SegmentWrittenBefore_StillReads()
    {
        IReadOnlyList<AuditRow> rows = new AuditLane("node-x.1").Extend([Read(0), Read(1)]);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (AuditRow row in rows)
        {
            WriteFullFrame(buffer, row);
        }

        List<AuditRow> read = AuditJournalFrames.Read(buffer.WrittenSpan, out int consumed);

        Assert.Equal(buffer.WrittenCount, consumed);
        Assert.Equal(Described(rows), Described(read));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(100)]
    public void Read_TornLastFrame_StopsBeforeIt(int cut)
    {
        (_, byte[] data) = ThreeFrames();
        Assert.True(data.Length - FrameStart(data, 3) > cut);

        List<AuditRow> read = AuditJournalFrames.Read(data.AsSpan(0, data.Length - cut), out int consumed);

        Assert.Equal(2, read.Count);
        Assert.Equal(FrameStart(data, 3), consumed);
    }

    [Fact]
    public void Read_ByteChangedInTheSecondRow_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();
        data[FrameStart(data, 2) + 40] ^= 0x01;

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read);
        Assert.Equal(FrameStart(data, 2), consumed);
    }

    [Fact]
    public void Read_TimeChangedInTheSecondRow_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();

        // Length, kind, the payload's version: then its time, which is the row's recorded time.
        data[FrameStart(data, 2) + 4 + 1 + 1] ^= 0x01;

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Single(read);
        Assert.Equal(FrameStart(data, 2), consumed);
    }

    [Theory]
    [InlineData(4 + 1 + 2)]
    [InlineData(4 + 1 + 2 + 8)]
    [InlineData(4 + 1 + 2 + 8 + 8)]
    public void Read_ChainFrameDamaged_ReadsNoRow(int offset)
    {
        (_, byte[] data) = ThreeFrames();

        // In the chain id, the sequence, the previous hash: each would give the rows another place, so none is read.
        data[FrameStart(data, 0) + offset] ^= 0x01;

        List<AuditRow> read = AuditJournalFrames.Read(data, out int consumed);

        Assert.Empty(read);
        Assert.Equal(FrameStart(data, 0), consumed);
    }

    [Fact]
    public void Read_RowWithoutAChainFrameBeforeIt_StopsThere()
    {
        (_, byte[] data) = ThreeFrames();
        byte[] withoutChain = [.. data.AsSpan(0, 4), .. data.AsSpan(FrameStart(data, 1))];

        List<AuditRow> read = AuditJournalFrames.Read(withoutChain, out int consumed);

        Assert.Empty(read);
        Assert.Equal(4, consumed);
    }

    [Fact]
    public void Append_ABatchLargerThanASegment_GetsASegmentWithRoomForItsChainFrame()
    {
        string directory = Path.Combine(Path.GetTempPath(), "openhip-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using AuditJournal journal = AuditJournal.Open(directory, 4_096);
            var lane = new AuditLane("node-x.1");
            IReadOnlyList<AuditRow> first = lane.Extend([Read(0)]);
            journal.Append(first);
            lane.Advance(first);

            // Continuing the chain, these rows need no chain frame where they are; at the start of a new segment they do.
            IReadOnlyList<AuditRow> large = lane.Extend([.. Enumerable.Range(1, 60).Select(Read)]);
            long segment = journal.Append(large);

            Assert.Equal(Described(large), Described(journal.Read(segment, out bool damaged)));
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
            var lane = new AuditLane("node-x.1");
            var rows = new List<AuditRow>();
            using (AuditJournal single = AuditJournal.Open(Path.Combine(directory, "single"), 4_096))
            {
                // 50 rows overflow a 4 KiB segment: the later appends roll to new segments and start them afresh.
                for (int i = 0; i < 50; i++)
                {
                    AuditRow row = lane.Extend(Read(i));
                    single.Append(row);
                    lane.Advance(row);
                    rows.Add(row);
                }

                List<AuditRow> read = [.. Enumerable.Range(1, (int)single.CurrentSegment).SelectMany(s => single.Read(s, out _))];
                Assert.True(single.CurrentSegment > 1);
                Assert.Equal(Described(rows), Described(read));
            }

            using (AuditJournal batch = AuditJournal.Open(Path.Combine(directory, "batch"), 1 << 20))
            using (AuditJournal single = AuditJournal.Open(Path.Combine(directory, "single-large"), 1 << 20))
            {
                batch.Append(rows);
                foreach (AuditRow row in rows)
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
    public void WriteContinuing_ARowThatDoesNotContinue_IsRefused()
    {
        var lane = new AuditLane("node-x.1");
        var writer = new AuditJournalFrames.Writer();
        AuditRow first = lane.Extend(Read(0));
        writer.Write(new ArrayBufferWriter<byte>(), first);
        AuditRow other = new AuditLane("node-x.2").Extend(Read(1));
        AuditRow skipped = first with { Sequence = 3 };

        Assert.Equal(0, writer.ContinuingLength(other));
        Assert.Equal(0, writer.ContinuingLength(skipped));
        Assert.Throws<ArgumentException>(() => writer.WriteContinuing(new byte[200], other));
    }

    private static AuditRecord Read(int i) => AuditLogHarness.Read("p1", "dr-" + i, DateTimeOffset.UtcNow);

    private static (IReadOnlyList<AuditRow> Rows, byte[] Data) ThreeFrames()
    {
        IReadOnlyList<AuditRow> rows = new AuditLane("node-x.1").Extend([.. Enumerable.Range(0, 3).Select(Read)]);
        return (rows, Segment(rows));
    }

    private static byte[] Segment(IReadOnlyList<AuditRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        BitConverter.TryWriteBytes(buffer.GetSpan(4), AuditJournalFrames.SegmentMark);
        buffer.Advance(4);
        var writer = new AuditJournalFrames.Writer();
        foreach (AuditRow row in rows)
        {
            writer.Write(buffer, row);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // The frames segments held before: every field of the row in every frame.
    private static void WriteFullFrame(ArrayBufferWriter<byte> buffer, AuditRow row)
    {
        byte[] chain = System.Text.Encoding.UTF8.GetBytes(row.ChainId);
        byte[] body =
        [
            .. BitConverter.GetBytes((ushort)chain.Length), .. chain, .. BitConverter.GetBytes(row.Sequence),
            .. BitConverter.GetBytes(row.Recorded.ToUnixTimeMilliseconds()), .. BitConverter.GetBytes(row.Payload.Length),
            .. row.Payload.Span, .. row.Hash.Span, .. row.PreviousHash.Span,
        ];
        buffer.Write([.. BitConverter.GetBytes(body.Length), .. body]);
    }

    private static IEnumerable<(string, long, string?, string, string)> Described(IEnumerable<AuditRow> rows) =>
        rows.Select(r => (r.ChainId, r.Sequence, r.Agent, Convert.ToHexString(r.Hash.Span), Convert.ToHexString(r.PreviousHash.Span)));

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
