using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class MatchModelTests
{
    private static readonly MatchModel Model = new(PriorProbabilities.Create(), [1.5f, 0f], [0f, 0f]);

    [Fact]
    public void FieldWeight_DifferentCounty_LeavesTheAddressDetailsOut()
    {
        byte[] moved = Levels(division: 3);
        byte[] sameCounty = Levels(division: 1);

        Assert.Equal(0, Model.FieldWeight((int)ComparedField.AddressLine, 0, moved));
        Assert.Equal(0, Model.FieldWeight((int)ComparedField.PostalCode, 0, moved));
        Assert.True(Model.FieldWeight((int)ComparedField.DivisionCode, 0, moved) < 0);
        Assert.True(Model.FieldWeight((int)ComparedField.AddressLine, 0, sameCounty) < 0);
    }

    [Fact]
    public void LogOdds_IsThePriorPlusEveryFieldWeight()
    {
        byte[] levels = Levels(division: 1);
        levels[(int)ComparedField.Family] = FieldLevels.NameExact;

        float sum = Model.PriorLogOdds + Enumerable.Range(0, FieldLevels.FieldCount).Sum(f => Model.FieldWeight(f, 0, levels));

        Assert.Equal(sum, Model.LogOdds(0, levels), 4);
        Assert.Equal(Model.Weight((int)ComparedField.Family, FieldLevels.NameExact) + 1.5f, Model.FieldWeight((int)ComparedField.Family, 0, levels), 4);
    }

    private static byte[] Levels(byte division)
    {
        var levels = new byte[FieldLevels.FieldCount];
        levels[(int)ComparedField.AddressLine] = FieldLevels.TextDifferent;
        levels[(int)ComparedField.PostalCode] = FieldLevels.CodeDifferent;
        levels[(int)ComparedField.DivisionCode] = division;
        return levels;
    }
}
