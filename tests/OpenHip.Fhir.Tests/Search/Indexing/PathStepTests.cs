using OpenHip.Fhir.Search.Indexing;
using Xunit;

namespace OpenHip.Fhir.Tests.Search.Indexing;

public sealed class PathStepTests
{
    [Fact]
    public void Equals_StepsWithTheSameMembers_AreEqualThoughEachHasItsOwnUtf8Name()
    {
        var a = new PathStep(PathStepKind.Child, "identifier", Index: 0);
        var b = new PathStep(PathStepKind.Child, "identifier", Index: 0);

        Assert.NotSame(a.Utf8Name, b.Utf8Name);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Index = 1 });
        Assert.Equal("identifier"u8.ToArray(), a.Utf8Name);
    }

    [Fact]
    public void Utf8Name_OfAStepMadeWithAnotherName_FollowsTheName()
    {
        PathStep step = new PathStep(PathStepKind.Child, "name") with { Name = "given" };

        // A with-expression copies the initialised property; the walk must still look up the step's own name.
        Assert.Equal("given"u8.ToArray(), step.Utf8Name);
    }
}
