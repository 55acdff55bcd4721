using OpenHip.Modules.Mpi.Domain.Identifiers;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Identifiers;

public sealed class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 6, 30);

    [Theory]
    [InlineData("11010519491231002X", 1949, 12, 31, nameof(AdministrativeSex.Female))] // the GB 11643-1999 standard's own example
    [InlineData("110105 19491231 002x", 1949, 12, 31, nameof(AdministrativeSex.Female))] // spaces and a lowercase x as keyed
    [InlineData("440524188001010014", 1880, 1, 1, nameof(AdministrativeSex.Male))]
    [InlineData("810000199408230021", 1994, 8, 23, nameof(AdministrativeSex.Female))] // Hong Kong residence permit
    public void Parse_ValidNumbers_DecodeBirthDateAndSex(string raw, int year, int month, int day, string sex)
    {
        ResidentIdNumber id = ResidentIdNumber.Parse(raw, Today);

        Assert.True(id.IsValid, id.Problems.ToString());
        Assert.Equal(new DateOnly(year, month, day), id.BirthDate);
        Assert.Equal(Enum.Parse<AdministrativeSex>(sex), id.Sex);
    }

    [Theory]
    [InlineData("110105194912310021")] // last character changed
    [InlineData("11010519491321002X")] // two adjacent digits swapped (…1231… → …1321…)
    [InlineData("11010519941231002X")] // 49 → 94 swapped in the year
    public void Parse_Typos_AreFlaggedBadCheckDigit(string raw)
    {
        ResidentIdNumber id = ResidentIdNumber.Parse(raw, Today);

        Assert.False(id.IsValid);
        Assert.True(id.Problems.HasFlag(ResidentIdProblems.BadCheckDigit));
    }

    [Fact]
    public void Parse_EverySingleDigitChange_IsDetected()
    {
        const string valid = "11010519491231002X";
        for (int i = 0; i < 17; i++)
        {
            for (char d = '0'; d <= '9'; d++)
            {
                if (valid[i] == d)
                {
                    continue;
                }

                string typo = string.Concat(valid.AsSpan(0, i), d.ToString(), valid.AsSpan(i + 1));
                Assert.True(ResidentIdNumber.Parse(typo, Today).Problems.HasFlag(ResidentIdProblems.BadCheckDigit), typo);
            }
        }
    }

    [Fact]
    public void Parse_LegacyFifteenDigits_ConvertsToEighteenWithCheckCharacter()
    {
        ResidentIdNumber id = ResidentIdNumber.Parse("110105491231002", Today);

        Assert.Equal("11010519491231002X", id.Value);
        Assert.True(id.ConvertedFromLegacy);
        Assert.True(id.IsValid);
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1101051949123100AX")]
    [InlineData("11010519491231002Y")]
    public void Parse_WrongShape_IsMalformed(string raw) =>
        Assert.Equal(ResidentIdProblems.Malformed, ResidentIdNumber.Parse(raw, Today).Problems);

    [Fact]
    public void Parse_UnknownProvincePrefix_IsFlaggedEvenWithGoodCheckDigit()
    {
        string body = "100105" + "19900101" + "123";
        string raw = body + Mod11Check.CheckCharacter(body);

        ResidentIdNumber id = ResidentIdNumber.Parse(raw, Today);

        Assert.Equal(ResidentIdProblems.UnknownRegion, id.Problems);
    }

    [Theory]
    [InlineData("19900230")] // 30 February
    [InlineData("20300101")] // after the reference date
    public void Parse_ImpossibleBirthDate_IsFlagged(string date)
    {
        string body = "330106" + date + "123";

        ResidentIdNumber id = ResidentIdNumber.Parse(body + Mod11Check.CheckCharacter(body), Today);

        Assert.Equal(ResidentIdProblems.ImpossibleBirthDate, id.Problems);
        Assert.Null(id.BirthDate);
    }

    [Fact]
    public void CheckedAgainst_RecordDisagreesWithEncodedBirthDateAndSex_FlagsBoth()
    {
        ResidentIdNumber id = ResidentIdNumber.Parse("11010519491231002X", Today);

        ResidentIdNumber checkedId = id.CheckedAgainst(new DateOnly(1949, 12, 30), AdministrativeSex.Male);

        Assert.Equal(ResidentIdProblems.BirthDateMismatch | ResidentIdProblems.SexMismatch, checkedId.Problems);
        Assert.True(id.CheckedAgainst(new DateOnly(1949, 12, 31), AdministrativeSex.Unknown).IsValid);
    }
}
