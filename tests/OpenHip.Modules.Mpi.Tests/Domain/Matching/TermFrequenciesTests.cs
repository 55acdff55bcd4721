using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class TermFrequenciesTests
{
    [Fact]
    public void Adjustments_CommonSurnameCountsLessThanARareOne()
    {
        // 王 on 8 of 10 records, 欧阳 and 诸葛 once each.
        PersonRecord[] records =
        [
            .. Enumerable.Range(0, 8).Select(i => new PersonRecord { Id = $"w{i}", HanFamily = "王", Family = "wang" }),
            new PersonRecord { Id = "o", HanFamily = "欧阳", Family = "ouyang" },
            new PersonRecord { Id = "z", HanFamily = "诸葛", Family = "zhuge" },
            new PersonRecord { Id = "none" },
        ];

        float[] adjustments = TermFrequencies.Adjustments(records, TermFrequencies.FamilyValue);

        Assert.True(adjustments[0] < 0);
        Assert.True(adjustments[8] > 0);
        Assert.Equal(adjustments[8], adjustments[9]);
        Assert.Equal(0, adjustments[10]);
        Assert.InRange(adjustments[8], 0, 4); // bounded
    }
}
