using OpenHip.Modules.Terminology.Domain;
using Xunit;

namespace OpenHip.Modules.Terminology.Tests.Domain;

public sealed class GrammarSystemsTests
{
    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("text/plain; charset=utf-8", true)]
    [InlineData("text/plain;charset=\"utf-8\"; format=flowed", true)]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true)]
    [InlineData("image/svg+xml", true)]
    [InlineData("text", false)]
    [InlineData("text/plain; charset", false)]
    [InlineData("text /plain", false)]
    public void MimeTypes_Bcp13WithParameters(string code, bool valid) => Assert.Equal(valid, GrammarSystems.IsValid(GrammarSystems.MimeTypes, code));

    [Theory]
    [InlineData("zh", true)]
    [InlineData("zh-CN", true)]
    [InlineData("zh-Hans-CN", true)]
    [InlineData("es-419", true)]
    [InlineData("de-CH-1901", true)]
    [InlineData("x-private", true)]
    [InlineData("en-US-x-twain", true)]
    [InlineData("zh--CN", false)]
    [InlineData("toolonglanguage", false)]
    [InlineData("zh_CN", false)]
    [InlineData("", false)]
    public void Languages_Bcp47(string code, bool valid) => Assert.Equal(valid, GrammarSystems.IsValid(GrammarSystems.Languages, code));

    [Theory]
    [InlineData("mg/dL", true)]
    [InlineData("mm[Hg]", true)]
    [InlineData("10*3/uL", true)]
    [InlineData("kg", true)]
    [InlineData("parsec-ish", false)]
    public void Ucum_ParsedByFhirMetrics(string code, bool valid) => Assert.Equal(valid, GrammarSystems.IsValid(GrammarSystems.Ucum, code));
}
