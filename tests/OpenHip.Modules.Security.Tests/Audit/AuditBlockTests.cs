using OpenHip.Fhir.Audit;
using OpenHip.Fhir.Storage.Relational.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>The block format of moved audit events: what a block may hold, every field back as written, and broken bytes.</summary>
public sealed class AuditBlockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Runs_SplitAtAnotherChainAGapTheCountLimitAndTheTimeLimit()
    {
        var rows = new List<AuditRow>();
        rows.AddRange(Chain("a", 1, 130, i => T0.AddMilliseconds(i)));           // 128 + 2: the count limit
        rows.AddRange(Chain("b", 1, 3, i => T0));                                  // another chain
        rows.AddRange(Chain("b", 5, 2, i => T0));                                  // a gap in the sequence
        rows.AddRange(Chain("c", 1, 4, i => T0.AddSeconds(i == 2 ? 61 : 0)));     // the third is over a minute after the first

        Assert.Equal([(0, 128), (128, 2), (130, 3), (133, 2), (135, 2), (137, 1), (138, 1)], AuditBlock.Runs(rows));
    }

    [Fact]
    public void Decode_OfAnEncodedBlock_GivesEveryFieldBackWithItsIdSequenceAndPreviousHash()
    {
        AuditRow[] rows =
        [
            Row("c", 7, T0.AddMilliseconds(5), "dr-李", [1, 2, 3]),
            Row("c", 8, T0, null, []),
            Row("c", 9, T0.AddSeconds(59), "dr-李", new byte[300]),
            Row("c", 10, T0.AddMilliseconds(1), "nurse-b", [9]),
        ];
        byte[] previous = [.. Enumerable.Repeat((byte)0xAB, 32)];
        rows[0] = rows[0] with { PreviousHash = previous };

        (byte[] body, long first, long last, _) = AuditBlock.Encode(rows, 0, rows.Length);
        IReadOnlyList<StoredAuditRow> back = AuditBlock.Decode(1000, rows.Length, "c", 7, first, previous, body);

        Assert.Equal((T0.ToUnixTimeMilliseconds(), T0.AddSeconds(59).ToUnixTimeMilliseconds()), (first, last));
        Assert.Equal([1000L, 1001, 1002, 1003], back.Select(e => e.Id));
        for (int i = 0; i < rows.Length; i++)
        {
            AuditRow expected = rows[i], actual = back[i].Row;
            Assert.Equal((expected.ChainId, expected.Sequence, expected.Recorded, expected.Agent), (actual.ChainId, actual.Sequence, actual.Recorded, actual.Agent));
            Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
            Assert.Equal(expected.Hash.ToArray(), actual.Hash.ToArray());
            Assert.Equal(i == 0 ? previous : rows[i - 1].Hash.ToArray(), actual.PreviousHash.ToArray());
        }
    }

    [Fact]
    public void Decode_BrokenBytes_IsUnreadableAndNamesTheBlockOrReadsWithoutCrashing()
    {
        AuditRow[] rows = [.. Chain("c", 1, 20, i => T0.AddMilliseconds(i * 10))];
        (byte[] body, long first, _, _) = AuditBlock.Encode(rows, 0, rows.Length);
        ReadOnlyMemory<byte> previous = rows[0].PreviousHash;

        for (int cut = 0; cut < body.Length; cut++)
        {
            UnreadableAuditBlockException error = Assert.Throws<UnreadableAuditBlockException>(
                () => AuditBlock.Decode(1, rows.Length, "c", 1, first, previous, body.AsMemory(0, cut)));
            Assert.Equal(("c", 1L), (error.ChainId, error.FirstSequence));
        }

        Assert.Throws<UnreadableAuditBlockException>(() => AuditBlock.Decode(1, rows.Length - 1, "c", 1, first, previous, body));
        Assert.Throws<UnreadableAuditBlockException>(() => AuditBlock.Decode(1, 0, "c", 1, first, previous, body));

        // Changed bytes either read (and then the hash chain finds the change) or are a format error, never anything else.
        var random = new Random(5);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] changed = (byte[])body.Clone();
            changed[random.Next(changed.Length)] = (byte)random.Next(256);
            try
            {
                Assert.Equal(rows.Length, AuditBlock.Decode(1, rows.Length, "c", 1, first, previous, changed).Count);
            }
            catch (UnreadableAuditBlockException)
            {
            }
        }
    }

    private static IEnumerable<AuditRow> Chain(string chain, long from, int count, Func<int, DateTimeOffset> at) =>
        Enumerable.Range(0, count).Select(i => Row(chain, from + i, at(i), "dr-a", [(byte)i]));

    private static AuditRow Row(string chain, long seq, DateTimeOffset at, string? agent, byte[] payload) =>
        new(chain, seq, at, agent, [], payload, Hash(chain, seq), new byte[32]);

    private static byte[] Hash(string chain, long seq) => [.. Enumerable.Range(0, 32).Select(i => (byte)(chain[0] + seq + i))];
}
