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
    public void CandidatePairs_OversizedBlock_Skipped()
    {
        PersonRecord[] records = [.. Enumerable.Range(0, 5).Select(i => new PersonRecord { Id = i.ToString(), Phone = "10000" })];

        Assert.Empty(Blocker.CandidatePairs(records, maxBlockSize: 4));
        Assert.Equal(10, Blocker.CandidatePairs(records, maxBlockSize: 5).Length);
    }
}
