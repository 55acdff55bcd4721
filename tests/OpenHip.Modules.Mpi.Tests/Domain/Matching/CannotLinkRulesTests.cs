using OpenHip.Modules.Mpi.Domain.Identifiers;
using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class CannotLinkRulesTests
{
    [Fact]
    public void Applies_TwoDifferentValidIds_True() =>
        Assert.True(CannotLinkRules.Applies(Records.Zhang("a", "11010519491231002X", true), Records.Zhang("b", "330106198703120012", true)));

    [Fact]
    public void Applies_SameValidIdButDifferentSex_True() =>
        Assert.True(CannotLinkRules.Applies(
            Records.Zhang("a", "11010519491231002X", true),
            Records.Zhang("b", "11010519491231002X", true) with { Sex = AdministrativeSex.Female }));

    [Fact]
    public void Applies_FlaggedIdOnEitherSide_False() =>
        Assert.False(CannotLinkRules.Applies(Records.Zhang("a", "11010519491231002X", true), Records.Zhang("b", "11010519491321002X", false)));

    [Fact]
    public void Applies_DifferentSexWithoutValidIds_False() =>
        Assert.False(CannotLinkRules.Applies(Records.Zhang("a"), Records.Zhang("b") with { Sex = AdministrativeSex.Female }));

    [Theory]
    [InlineData(0.99, false, nameof(MatchGrade.Certain))]
    [InlineData(0.99, true, nameof(MatchGrade.Probable))]
    [InlineData(0.7, false, nameof(MatchGrade.Probable))]
    [InlineData(0.2, false, nameof(MatchGrade.Possible))]
    [InlineData(0.01, false, nameof(MatchGrade.CertainlyNot))]
    public void Grade_CannotLinkCapsAtProbable(double probability, bool cannotLink, string grade) =>
        Assert.Equal(Enum.Parse<MatchGrade>(grade), MatchThresholds.Default.Grade(probability, cannotLink));
}
