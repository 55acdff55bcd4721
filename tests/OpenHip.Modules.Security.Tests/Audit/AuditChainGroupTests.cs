using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

public sealed class AuditChainGroupTests
{
    private const string Group = "node-g.0192f5a47b1e7c3d9a2b5e6f7a8b9c0d";

    [Fact]
    public void Chain_RowsRoundRobin_LinksEachToTheRowBeforeInItsChain()
    {
        List<JournaledRow> journaled = JournalTestRows.Of(Reads(40), Group);

        List<AuditRow> rows = AuditChainGroup.Start(Group).Chain(journaled);

        // Grouped by chain, each chain's rows in order: row n of the group is row n / 16 + 1 of chain n mod 16.
        Assert.Equal(
            journaled.OrderBy(r => r.Index % 16).ThenBy(r => r.Index).Select(r => (AuditChainGroup.ChainIdOf(Group, (int)(r.Index % 16)), (r.Index / 16) + 1)),
            rows.Select(r => (r.ChainId, r.Sequence)));
        foreach (IGrouping<string, AuditRow> chain in rows.GroupBy(r => r.ChainId))
        {
            ReadOnlyMemory<byte> previous = AuditRowHash.GenesisOf(chain.Key);
            foreach (AuditRow row in chain)
            {
                Assert.True(AuditRowHash.Matches(row));
                Assert.Equal(previous.ToArray(), row.PreviousHash.ToArray());
                previous = row.Hash;
            }
        }
    }

    [Fact]
    public void Chain_InPiecesOfAnySize_GivesWhatOneCallGives()
    {
        List<JournaledRow> journaled = JournalTestRows.Of(Reads(53), Group);
        List<AuditRow> whole = AuditChainGroup.Start(Group).Chain(journaled);

        AuditChainGroup group = AuditChainGroup.Start(Group);
        var pieces = new List<AuditRow>();
        foreach ((int start, int count) in new[] { (0, 5), (5, 16), (21, 1), (22, 31) })
        {
            pieces.AddRange(group.Chain(journaled.GetRange(start, count)));
        }

        Assert.Equal(53, group.Next);
        Assert.Equal(Described(whole.OrderBy(r => r.ChainId).ThenBy(r => r.Sequence)), Described(pieces.OrderBy(r => r.ChainId).ThenBy(r => r.Sequence)));
    }

    [Fact]
    public void Resume_FromTheHeadsTheLogHolds_ContinuesWithTheSameLinks()
    {
        List<JournaledRow> journaled = JournalTestRows.Of(Reads(37), Group);
        List<AuditRow> whole = AuditChainGroup.Start(Group).Chain(journaled);

        // A node stopped after the first 20 rows were moved: its next start chains the other 17 from the log's heads.
        List<AuditRow> moved = AuditChainGroup.Start(Group).Chain(journaled[..20]);
        Dictionary<string, AuditChainHead> stored = moved.GroupBy(r => r.ChainId)
            .Select(c => c.Last())
            .ToDictionary(r => r.ChainId, r => new AuditChainHead(r.ChainId, r.Sequence, r.Sequence, r.Recorded, r.Hash));
        AuditChainGroup resumed = AuditChainGroup.Resume(Group, 16, stored);
        List<AuditRow> rest = resumed.Chain(journaled[20..]);

        Assert.Equal(20, AuditChainGroup.Resume(Group, 16, stored).Next);
        Assert.Equal(Described(whole.OrderBy(r => r.ChainId).ThenBy(r => r.Sequence)), Described(moved.Concat(rest).OrderBy(r => r.ChainId).ThenBy(r => r.Sequence)));
    }

    [Fact]
    public void Resume_HeadsThatAreNotAPrefix_AreRefused()
    {
        List<AuditRow> moved = AuditChainGroup.Start(Group).Chain(JournalTestRows.Of(Reads(3), Group));
        AuditRow second = moved.Single(r => r.ChainId == AuditChainGroup.ChainIdOf(Group, 1));
        var stored = new Dictionary<string, AuditChainHead>
        {
            [second.ChainId] = new(second.ChainId, second.Sequence, second.Sequence, second.Recorded, second.Hash),
        };

        Assert.Throws<InvalidDataException>(() => AuditChainGroup.Resume(Group, 16, stored));
    }

    [Fact]
    public void Chain_ARowThatIsNotNext_IsRefusedAndChainsNothing()
    {
        AuditChainGroup group = AuditChainGroup.Start(Group);

        Assert.Throws<InvalidOperationException>(() => group.Chain(JournalTestRows.Of(Reads(2), Group, first: 1)));
        Assert.Throws<InvalidOperationException>(() => group.Chain(JournalTestRows.Of(Reads(2), "node-g.other")));
        Assert.Equal(0, group.Next);
        Assert.All(group.Heads, h => Assert.Equal(0, h.Sequence));
    }

    private static List<AuditRecord> Reads(int count) =>
        [.. Enumerable.Range(0, count).Select(i => AuditLogHarness.Read("p" + (i % 7), "dr-g", DateTimeOffset.UtcNow.AddMilliseconds(i)))];

    private static IEnumerable<(string, long, string, string)> Described(IEnumerable<AuditRow> rows) =>
        rows.Select(r => (r.ChainId, r.Sequence, Convert.ToHexString(r.Hash.Span), Convert.ToHexString(r.PreviousHash.Span)));
}
