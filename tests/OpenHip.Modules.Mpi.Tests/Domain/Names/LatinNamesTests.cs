using OpenHip.Modules.Mpi.Domain.Names;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Names;

public sealed class LatinNamesTests
{
    [Theory]
    [InlineData("  José-María  O'Neill ", "jose maria oneill")]
    [InlineData("LÜ Xiaoming", "lv xiaoming")]
    [InlineData("Zhāng Wěi", "zhang wei")]
    [InlineData(null, "")]
    public void Normalize_CaseDiacriticsAndPunctuation(string? written, string normalized) =>
        Assert.Equal(normalized, LatinNames.Normalize(written));

    [Fact]
    public void OrderFree_SameTokensInAnotherOrder_AreEqual() =>
        Assert.Equal(LatinNames.OrderFree("wei zhang"), LatinNames.OrderFree("zhang wei"));

    [Theory]
    [InlineData("robert", "R163")]
    [InlineData("rupert", "R163")]
    [InlineData("ashcraft", "A261")]
    [InlineData("tymczak", "T522")]
    [InlineData("pfister", "P236")]
    [InlineData("lee", "L000")]
    [InlineData("", "")]
    public void Soundex_KnownValues(string name, string key) => Assert.Equal(key, LatinNames.Soundex(name));
}
