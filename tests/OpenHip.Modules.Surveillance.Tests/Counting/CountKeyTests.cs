using OpenHip.Modules.Surveillance.Domain.Counting;

namespace OpenHip.Modules.Surveillance.Tests.Counting;

public sealed class CountKeyTests
{
    [Theory]
    [InlineData("2022-05-02", "2026-05-01", "0-4")]
    [InlineData("2021-05-01", "2026-05-01", "5-14")]
    [InlineData("2011-05-02", "2026-05-01", "5-14")]
    [InlineData("2011-05-01", "2026-05-01", "15-24")]
    [InlineData("2001-05-01", "2026-05-01", "25-59")]
    [InlineData("1966-05-01", "2026-05-01", "60+")]
    public void AgeGroup_AgeInCompletedYearsAtTheCaseDate(string birth, string day, string expected) =>
        Assert.Equal(expected, AgeGroups.Of(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void AgeGroup_NoOrFutureBirthDate_IsUnknown()
    {
        Assert.Equal("unknown", AgeGroups.Of(null, new DateOnly(2026, 1, 1)));
        Assert.Equal("unknown", AgeGroups.Of(new DateOnly(2027, 1, 1), new DateOnly(2026, 1, 1)));
    }

    [Theory]
    [InlineData("440106", "440106", "440100", "440000")]
    [InlineData("440106011", "440106", "440100", "440000")]
    public void Area_CountyCityProvinceFromDivisionCode(string code, string county, string city, string province)
    {
        Assert.Equal(county, AreaCode.CountyOf(code));
        Assert.Equal(city, AreaCode.CityOf(county));
        Assert.Equal(province, AreaCode.ProvinceOf(county));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4401")]
    [InlineData("44010X")]
    public void Area_MissingOrMalformedCode_IsUnknown(string? code) => Assert.Equal(AreaCode.Unknown, AreaCode.CountyOf(code));

    [Theory]
    [InlineData("440000", "Province")]
    [InlineData("440100", "City")]
    [InlineData("440106", "County")]
    public void Area_ParseLevel(string code, string level)
    {
        Assert.True(AreaCode.TryParse(code, out AreaCode? area));
        Assert.Equal(level, area!.Value.Level.ToString());
    }

    [Fact]
    public void Ids_SameKeySameId_OtherKeyOtherId()
    {
        var key = new CountKey("ili", "440106", new DateOnly(2026, 1, 5), "0-4", "male");
        Assert.Equal(key.ResourceId, (key with { }).ResourceId);
        Assert.NotEqual(key.ResourceId, (key with { Sex = "female" }).ResourceId);
        Assert.Equal(SurveillanceIds.CaseId("ili", "Person/1", new DateOnly(2026, 1, 5)), SurveillanceIds.CaseId("ili", "Person/1", new DateOnly(2026, 1, 5)));
        Assert.True(key.ResourceId.Length <= 64);
    }
}
