using System.Globalization;
using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class BlockingIndexTests
{
    private static readonly string[] Families = ["wang", "li", "zhang", "liu", "chen"];
    private static readonly string[] Givens = ["wei", "fang", "na", "min", "jing", "li", "qiang"];

    [Fact]
    public void SampleCandidatePatterns_BoundAboveTheCandidates_CountsEveryCandidatePairOnce()
    {
        PersonRecord[] population = Population(400);
        using BlockingIndex index = Index(population);

        PatternCounts sample = index.SampleCandidatePatterns(int.MaxValue, seed: 1);

        Assert.Equal(Blocker.CandidatePairs(population, BlockingIndex.MaxBlockSize).Length, sample.Total);
    }

    [Fact]
    public void SampleCandidatePatterns_SmallBound_StopsNearIt()
    {
        PersonRecord[] population = Population(400);
        using BlockingIndex index = Index(population);
        long all = Blocker.CandidatePairs(population, BlockingIndex.MaxBlockSize).Length;

        PatternCounts sample = index.SampleCandidatePatterns(500, seed: 1);

        // One anchor's pairs may overshoot the bound; far fewer than all pairs either way.
        Assert.InRange(sample.Total, 500, 1000);
        Assert.True(all > 2000, $"the population should have many candidate pairs, has {all}");
    }

    private static BlockingIndex Index(IEnumerable<PersonRecord> population)
    {
        var index = new BlockingIndex();
        foreach (PersonRecord r in population)
        {
            index.Upsert(r, 1);
        }

        return index;
    }

    /// <summary>Few names and birth years, so that blocks are shared widely.</summary>
    private static PersonRecord[] Population(int count)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(i => new PersonRecord
        {
            Id = "r" + i.ToString(CultureInfo.InvariantCulture),
            Family = Families[random.Next(Families.Length)],
            Given = Givens[random.Next(Givens.Length)],
            BirthDate = (1980 + random.Next(5)).ToString(CultureInfo.InvariantCulture) + "0" + (1 + random.Next(9)).ToString(CultureInfo.InvariantCulture) + "1" + random.Next(10).ToString(CultureInfo.InvariantCulture),
        })];
    }
}
