using OpenHip.Modules.Mpi.Domain.Names;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Names;

public sealed class HanNamesTests
{
    [Theory]
    [InlineData("張偉", "张伟")]
    [InlineData("陳麗華", "陈丽华")]
    [InlineData("歐陽 鋒", "欧阳锋")]
    [InlineData("買買提·艾力", "买买提艾力")]
    [InlineData("乾隆", "乾隆")] // 乾 is also a simplified character (乾坤): not folded to 干
    public void Fold_TraditionalAndSpacing_GivesSimplified(string written, string folded) =>
        Assert.Equal(folded, HanNames.Fold(written));

    [Theory]
    [InlineData("单", "shan")]
    [InlineData("單", "shan")] // traditional form folds first
    [InlineData("曾", "zeng")]
    [InlineData("仇", "qiu")]
    [InlineData("解", "xie")]
    [InlineData("区", "ou")]
    [InlineData("朴", "piao")]
    [InlineData("查", "zha")]
    [InlineData("乐", "yue")]
    [InlineData("尉迟", "yuchi")]
    [InlineData("万俟", "moqi")]
    [InlineData("王", "wang")]
    [InlineData("張", "zhang")]
    public void SurnamePinyin_PolyphonicSurnames_UseTheSurnameReading(string surname, string pinyin) =>
        Assert.Equal(pinyin, HanNames.SurnamePinyin(surname));

    [Fact]
    public void SurnameReadings_AmbiguousSurname_ListsEveryReading()
    {
        Assert.Equal(["yue", "le"], HanNames.SurnameReadings("乐"));
        Assert.Equal(["chen"], HanNames.SurnameReadings("陳"));
    }

    [Theory]
    [InlineData("伟", "wei")]
    [InlineData("好", "hao")]
    [InlineData("绿", "lv")]
    public void CustomaryPinyin_UsesKMandarin(string text, string pinyin) =>
        Assert.Equal(pinyin, HanNames.CustomaryPinyin(text));

    [Fact]
    public void AreHomophones_SameSoundDifferentCharacter_True()
    {
        Assert.True(HanNames.AreHomophones("王明", "王铭"));
        Assert.True(HanNames.AreHomophones("曾伟", "曾偉"));
        Assert.False(HanNames.AreHomophones("王明", "王刚"));
        Assert.False(HanNames.AreHomophones("王明", "王明明"));
    }

    [Fact]
    public void Tables_CoverTheBasicBlock()
    {
        // Every basic-block character plus the extensions that have readings; folding covers every kSimplifiedVariant pair.
        Assert.InRange(HanTables.Shared.ReadingCount, 30_000, 60_000);
        Assert.InRange(HanTables.Shared.FoldedCount, 5_000, 8_000);
        Assert.True(HanNames.ContainsHan("Li 李"));
        Assert.False(HanNames.ContainsHan("Li Na"));
    }
}
