using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class PriorProbabilitiesTests
{
    [Fact]
    public void Create_EveryFieldIsADistributionAndExactAgreementIsEvidenceForAMatch()
    {
        FieldProbabilities p = PriorProbabilities.Create();

        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            int levels = FieldLevels.Count((ComparedField)f);
            Assert.Equal(1.0, Enumerable.Range(1, levels - 1).Sum(l => p.M[f, l]), 9);
            Assert.Equal(1.0, Enumerable.Range(1, levels - 1).Sum(l => p.U[f, l]), 9);
            Assert.True(p.M[f, 1] > p.U[f, 1], ((ComparedField)f).ToString());
        }
    }

    [Fact]
    public void WithPriorM_KeepsTheFittedU()
    {
        FieldProbabilities fitted = PriorProbabilities.Create();
        fitted.U[(int)ComparedField.Family, 1] = 0.3;

        FieldProbabilities mixed = PriorProbabilities.WithPriorM(fitted);

        Assert.Equal(0.3, mixed.U[(int)ComparedField.Family, 1]);
        Assert.Equal(PriorProbabilities.Create().M[(int)ComparedField.Family, 1], mixed.M[(int)ComparedField.Family, 1]);
    }
}
