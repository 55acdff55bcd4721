using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class BlockerTests
{
    [Fact]
    public void CandidatePairs_SharingSeveralKeys_ListedOnce()
    {
        PersonRecord[] records = [Records.Zhang("a"), Records.Zhang("b"), Records.Zhang("c") with { Family = "li", HanFamily = "李", Given = "na", HanGiven = "娜", BirthDate = "19500101", Phone = "", AddressLine = "", Locality = "", DivisionCode = "" }];

        long[] pairs = Blocker.CandidatePairs(records);

        Assert.Equal([Blocker.PairKey(0, 1)], pairs);
    }

    [Fact]
    public void CandidatePairs_EveryFieldDifferentButTheExchangedNames_StillMeet()
    {
        PersonRecord a = new() { Id = "a", Family = "zhang", Given = "wei", BirthDate = "19870312" };
        PersonRecord b = new() { Id = "b", Family = "wei", Given = "zhang", BirthDate = "19550101" };

        Assert.Single(Blocker.CandidatePairs([a, b]));
    }

    [Fact]
    public void CandidatePairs_TransposedBirthDateAndSameSurname_StillMeet()
    {
        // Year, and so every name-with-year key, differs: only the sorted digits with the name initial meet.
        PersonRecord a = new() { Id = "a", Family = "li", BirthDate = "19870312" };
        PersonRecord b = new() { Id = "b", Family = "li", BirthDate = "19780312", Given = "na" };

        Assert.Single(Blocker.CandidatePairs([a, b]));
    }

    [Fact]
    public void CandidatePairs_CrossSourceOnly_LeavesPairsWithinASourceOut()
    {
        PersonRecord[] records = [Records.Zhang("a") with { Source = 0 }, Records.Zhang("b") with { Source = 0 }, Records.Zhang("c") with { Source = 1 }];

        long[] pairs = Blocker.CandidatePairs(records, crossSourceOnly: true);

        Assert.Equal([Blocker.PairKey(0, 2), Blocker.PairKey(1, 2)], pairs);
    }

    [Fact]
    public void CandidatePairs_OversizedBlock_SplitIntoWindowsRatherThanDropped()
    {
        PersonRecord[] records = [.. Enumerable.Range(0, 5).Select(i => new PersonRecord { Id = i.ToString(), Phone = "10000" })];

        // Identical but for the id: every order is the record order, whose neighbours (0, 1) … (3, 4) are the pairs.
        Assert.Equal([Blocker.PairKey(0, 1), Blocker.PairKey(1, 2), Blocker.PairKey(2, 3), Blocker.PairKey(3, 4)], Blocker.CandidatePairs(records, maxBlockSize: 4, window: 2));
        Assert.Equal(10, Blocker.CandidatePairs(records, maxBlockSize: 5).Length);
    }

    [Fact]
    public void CandidatePairs_TruePairFarApartInOneOrderOfAnOversizedBlock_MetByAnother()
    {
        // Fifty strangers share a placeholder phone and nothing else; two of them share a given name, and their birth
        // dates put them far apart. Every pair of the block would be 1,225 pairs; the windows give about 3 × 49.
        PersonRecord[] records = [.. Enumerable.Range(0, 50).Select(i => new PersonRecord
        {
            Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Phone = "10000",
            BirthDate = (1940 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) + "0101",
            HanGiven = i is 3 or 41 ? "伟" : string.Empty,
        })];

        long[] pairs = Blocker.CandidatePairs(records, maxBlockSize: 10, window: 2);

        Assert.Contains(Blocker.PairKey(3, 41), pairs);
        Assert.InRange(pairs.Length, 49, Blocker.OversizedBlockOrders.Length * 49);
    }
}
