using OpenHip.Modules.Mpi.Domain.Comparison;
using OpenHip.Modules.Mpi.Domain.Identifiers;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Comparison;

public sealed class ComparisonTests
{
    [Theory]
    [InlineData("19870312", "19870312", nameof(DateAgreement.Exact))]
    [InlineData("19870312", "19870321", nameof(DateAgreement.Transposed))]
    [InlineData("19870312", "19780312", nameof(DateAgreement.Transposed))]
    [InlineData("19870312", "19870313", nameof(DateAgreement.OneDigit))]
    [InlineData("19870312", "19871203", nameof(DateAgreement.DayMonthSwapped))]
    [InlineData("19870312", "19870701", nameof(DateAgreement.SameYear))]
    [InlineData("19870312", "19620101", nameof(DateAgreement.Different))]
    [InlineData("19870312", "", nameof(DateAgreement.Missing))]
    public void BirthDates_Compare_NamesTheKindOfError(string a, string b, string expected) =>
        Assert.Equal(Enum.Parse<DateAgreement>(expected), BirthDates.Compare(a, b));

    [Theory]
    [InlineData("1987-03-12", "19870312")]
    [InlineData("l9770220", "l9770220")] // OCR errors compare as written
    [InlineData("1987-3-12", "")]
    public void BirthDates_Digits(string text, string digits) => Assert.Equal(digits, BirthDates.Digits(text));

    [Theory]
    [InlineData("+86 138-1234-5678", "13812345678")]
    [InlineData("008613812345678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("+86 571 8888 8888", "057188888888")]
    [InlineData("0571-88888888", "057188888888")]
    [InlineData("+256 712 300633", "+256712300633")]
    [InlineData("", "")]
    public void PhoneNumbers_Normalize(string text, string normalized) => Assert.Equal(normalized, PhoneNumbers.Normalize(text));

    [Theory]
    [InlineData("330106", "330106", 3)]
    [InlineData("330106", "330102", 2)]
    [InlineData("330106", "330206", 1)]
    [InlineData("330106", "110105", 0)]
    [InlineData("330000", "330000", 1)] // the province itself: no city to agree on
    [InlineData("330106001", "330106001", 4)]
    [InlineData("330106001", "330106", 3)]
    public void DivisionCodes_SharedLevels(string a, string b, int levels) =>
        Assert.Equal(levels, DivisionCodes.SharedLevels(a, b));

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("dixon", "dicksonx", 0.813)]
    public void JaroWinkler_TextbookValues(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);

    [Theory]
    [InlineData("1804974", "1804974", true)]
    [InlineData("1804974", "1804975", true)] // substitution
    [InlineData("1804974", "1809474", true)] // adjacent transposition
    [InlineData("1804974", "180974", true)] // deletion
    [InlineData("180974", "1804974", true)] // insertion
    [InlineData("1804974", "1840947", false)]
    [InlineData("1804974", "18049", false)]
    public void WithinOneEdit_KeyingErrors(string a, string b, bool expected) =>
        Assert.Equal(expected, StringSimilarity.WithinOneEdit(a, b));

    [Fact]
    public void JaroWinkler_AsciiFastPath_AgreesWithTheScanOverAnyText()
    {
        // Shifting every character out of ASCII forces the scanning path; both must give the same value.
        var random = new Random(11);
        for (int n = 0; n < 5000; n++)
        {
            string a = Word(random);
            string b = random.Next(3) == 0 ? Word(random) : Mutate(a, random);

            Assert.Equal(StringSimilarity.JaroWinkler(Shift(a), Shift(b)), StringSimilarity.JaroWinkler(a, b), 12);
        }

        static string Word(Random r) => new([.. Enumerable.Range(0, r.Next(1, 20)).Select(_ => "abcde fgh"[r.Next(9)])]);
        static string Mutate(string s, Random r) => r.Next(2) == 0 && s.Length > 1 ? s.Remove(r.Next(s.Length), 1) : s.Insert(r.Next(s.Length), "a");
        static string Shift(string s) => new([.. s.Select(c => (char)(c + 0x4E00))]);
    }
}
