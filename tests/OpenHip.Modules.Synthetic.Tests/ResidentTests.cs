using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;
using Xunit;

namespace OpenHip.Modules.Synthetic.Tests;

public sealed class ResidentTests
{
    private static readonly SyntheticRegionGenerator Generator = new(new SyntheticRegionOptions { Patients = 3000, Seed = 3 });

    [Fact]
    public void Residents_IdNumbersAgreeWithBirthDateSexAndKnownDivision()
    {
        var known = Geography.AllIdDivisionCodes().ToHashSet();
        for (int i = 0; i < 3000; i++)
        {
            Resident resident = Generator.ResidentAt(i);
            if (resident.Ethnicity == Ethnicity.Foreign)
            {
                Assert.Null(resident.IdNumber);
                Assert.NotNull(resident.PassportNumber);
                continue;
            }

            string id = resident.IdNumber!;
            Assert.True(ResidentIdNumber.IsValid(id), id);
            Assert.Equal(resident.BirthDate, ResidentIdNumber.BirthDate(id));
            Assert.Equal(resident.Male, ResidentIdNumber.IsMale(id));
            Assert.Contains(id[..6], known);
        }
    }

    [Fact]
    public void Residents_IncludeTwinsNamesakesMinoritiesAndForeigners()
    {
        var residents = Enumerable.Range(0, 3000).Select(Generator.ResidentAt).ToList();

        Resident twin = residents.First(r => r.Relation?.Kind == ResidentRelation.Twin);
        Resident original = residents[twin.Index - 1];
        Assert.Equal(original.BirthDate, twin.BirthDate);
        Assert.Equal(original.Name.Family, twin.Name.Family);
        Assert.NotEqual(original.Name.Text, twin.Name.Text);
        Assert.NotEqual(original.IdNumber, twin.IdNumber);

        Resident namesake = residents.First(r => r.Relation?.Kind == ResidentRelation.Namesake);
        Resident other = residents[namesake.Index - 1];
        Assert.Equal(other.Name.Text, namesake.Name.Text);
        Assert.Equal(other.BirthDate, namesake.BirthDate);
        Assert.NotEqual(other.IdNumber, namesake.IdNumber);

        Assert.Contains(residents, r => r.Ethnicity == Ethnicity.She);
        Assert.Contains(residents, r => r.Ethnicity is Ethnicity.Uyghur or Ethnicity.Tibetan);
        Assert.Contains(residents, r => r.Ethnicity == Ethnicity.Foreign);
        Assert.Contains(residents, r => r.IdDivisionCode is "330103" or "330104");
    }

    [Fact]
    public void NameTables_HavePinyinForEveryCharacterUsed()
    {
        NameTables tables = NameTables.Instance;
        foreach ((string surname, _) in tables.Surnames)
        {
            Assert.True(tables.Pinyin.ContainsKey(surname), surname);
        }

        foreach (var given in tables.GivenChars)
        {
            Assert.True(tables.Pinyin.ContainsKey(given.Char), given.Char);
        }

        Assert.Equal("Zeng", tables.ToPinyin("曾"));
        Assert.Equal("Lyu", tables.ToPinyin("吕"));
    }

    [Fact]
    public void DeterministicRandom_SameSeedSameSequence()
    {
        var a = DeterministicRandom.For(5, RandomStream.History, 10);
        var b = DeterministicRandom.For(5, RandomStream.History, 10);
        var c = DeterministicRandom.For(5, RandomStream.History, 11);

        Assert.Equal(a.NextGuid(), b.NextGuid());
        Assert.NotEqual(a.NextUInt64(), c.NextUInt64());
    }
}
