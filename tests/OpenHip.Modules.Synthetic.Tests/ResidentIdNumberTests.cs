using OpenHip.Modules.Synthetic.Domain;
using Xunit;

namespace OpenHip.Modules.Synthetic.Tests;

public sealed class ResidentIdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X")] // the GB 11643-1999 standard's own example
    public void IsValid_PublishedExamples_AreValid(string value) => Assert.True(ResidentIdNumber.IsValid(value));

    [Fact]
    public void Create_ProducesValidNumberThatEncodesBirthDateAndSex()
    {
        string id = ResidentIdNumber.Create("330106", new DateOnly(1987, 3, 9), 37);

        Assert.True(ResidentIdNumber.IsValid(id));
        Assert.Equal(new DateOnly(1987, 3, 9), ResidentIdNumber.BirthDate(id));
        Assert.True(ResidentIdNumber.IsMale(id));
    }

    [Fact]
    public void TransposeAdjacentDigits_AlwaysBreaksTheCheckDigit()
    {
        var random = new DeterministicRandom(42);
        for (int i = 0; i < 2000; i++)
        {
            string id = ResidentIdNumber.Create("330102", new DateOnly(1950, 1, 1).AddDays(random.Next(0, 25000)), random.Next(1, 1000));
            Assert.False(ResidentIdNumber.IsValid(ResidentIdNumber.TransposeAdjacentDigits(id, random)));
        }
    }
}
