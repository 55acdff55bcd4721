using OpenHip.Fhir.Search;
using Xunit;

namespace OpenHip.Fhir.Tests.Search;

public sealed class DateRangeTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void TryParse_Year_WholeYearInTheRegionZone()
    {
        Assert.True(DateRange.TryParse("2020", Shanghai, out DateTimeOffset low, out DateTimeOffset high));

        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, China), low);
        Assert.Equal(new DateTimeOffset(2020, 12, 31, 23, 59, 59, 999, China), high);
    }

    [Theory]
    [InlineData("2020-02", "2020-02-01T00:00:00.000+08:00", "2020-02-29T23:59:59.999+08:00")]
    [InlineData("2021-02-28", "2021-02-28T00:00:00.000+08:00", "2021-02-28T23:59:59.999+08:00")]
    [InlineData("2020-03-01T10:00+08:00", "2020-03-01T10:00:00.000+08:00", "2020-03-01T10:00:59.999+08:00")]
    [InlineData("2020-03-01T10:00:05Z", "2020-03-01T10:00:05.000+00:00", "2020-03-01T10:00:05.999+00:00")]
    [InlineData("2020-03-01T10:00:05.5-05:00", "2020-03-01T10:00:05.500-05:00", "2020-03-01T10:00:05.599-05:00")]
    [InlineData("2020-03-01T10:00:05.123456Z", "2020-03-01T10:00:05.123+00:00", "2020-03-01T10:00:05.123+00:00")]
    public void TryParse_Precision_DecidesTheRange(string value, string low, string high)
    {
        Assert.True(DateRange.TryParse(value, Shanghai, out DateTimeOffset l, out DateTimeOffset h));

        Assert.Equal(DateTimeOffset.Parse(low, System.Globalization.CultureInfo.InvariantCulture), l);
        Assert.Equal(DateTimeOffset.Parse(high, System.Globalization.CultureInfo.InvariantCulture), h);
    }

    [Fact]
    public void TryParse_DuringChinasDaylightSavingYears_UsesTheOffsetOfThatDate()
    {
        // China kept summer time from 1986 to 1991: a 1990 summer date without a zone is at +09:00.
        Assert.True(DateRange.TryParse("1990-07-01", Shanghai, out DateTimeOffset low, out _));

        Assert.Equal(TimeSpan.FromHours(9), low.Offset);
    }

    [Fact]
    public void TryParse_LastDayOfYear9999_RunsToTheEndOfTime()
    {
        Assert.True(DateRange.TryParse("9999-12-31", Shanghai, out DateTimeOffset low, out DateTimeOffset high));

        Assert.Equal(new DateTimeOffset(9999, 12, 31, 0, 0, 0, China), low);
        Assert.Equal(DateTimeOffset.MaxValue, high);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("2020-13")]
    [InlineData("2021-02-29")]
    [InlineData("2020-01-01T25:00:00Z")]
    [InlineData("20200101")]
    [InlineData("٢٠٢٠")]
    [InlineData("2020-01-01T10")]
    [InlineData("2020-01-01T10:00:00.")]
    [InlineData("2020-01-01T10:00+8:00")]
    [InlineData("2020-01-01Z")]
    [InlineData("2020-01-01T10:00:00+15:00")]
    public void TryParse_NotADate_False(string value) => Assert.False(DateRange.TryParse(value, Shanghai, out _, out _));
}
