using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Müller", "muller")]
    [InlineData("MÜLLER", "muller")]
    [InlineData("José Álvarez", "jose alvarez")]
    [InlineData("ＺＨＡＮＧ", "zhang")]
    [InlineData("Ｚｈａｎｇ　Ｓａｎ", "zhang san")]
    [InlineData("１２３", "123")]
    [InlineData("ﬁle", "file")]
    [InlineData("张三", "张三")]
    [InlineData("already plain", "already plain")]
    [InlineData("Body Height", "body height")]
    public void Normalize_FoldsCaseAccentsAndWidth(string value, string expected) => Assert.Equal(expected, SearchText.Normalize(value));

    [Fact]
    public void Normalize_HanCharacters_PassThroughWithoutSimplifiedTraditionalFolding() =>
        Assert.NotEqual(SearchText.Normalize("张"), SearchText.Normalize("張"));
}
