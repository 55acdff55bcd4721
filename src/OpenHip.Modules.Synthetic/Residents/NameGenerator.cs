using OpenHip.Modules.Synthetic.Domain;

namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>Draws names from <see cref="NameTables"/> by sex and birth cohort.</summary>
internal sealed class NameGenerator
{
    // She (畲族) families are overwhelmingly 蓝, 雷 and 钟 (ethnographic descriptions of the She, e.g. the
    // Jingning county gazetteer); the split here is an illustrative approximation.
    private static readonly (string, double)[] SheSurnames = [("蓝", 0.45), ("雷", 0.35), ("钟", 0.2)];

    private readonly NameTables _tables;
    private readonly WeightedTable<string> _surnames;
    private readonly WeightedTable<string> _sheSurnames;
    private readonly WeightedTable<string>[,] _given = new WeightedTable<string>[2, 3];

    public NameGenerator(NameTables tables)
    {
        _tables = tables;
        _surnames = new WeightedTable<string>(tables.Surnames.Where(s => s.Surname != "蓝").Select(s => (s.Surname, s.Share)));
        _sheSurnames = new WeightedTable<string>(SheSurnames);
        for (int sex = 0; sex < 2; sex++)
        {
            char wanted = sex == 0 ? 'M' : 'F';
            for (int cohort = 0; cohort < 3; cohort++)
            {
                int c = cohort;
                _given[sex, cohort] = new WeightedTable<string>(tables.GivenChars
                    .Where(g => g.Sex == wanted || g.Sex == 'U')
                    .Select(g => (g.Char, g.Weight * EraFactor(g.Era, c))));
            }
        }
    }

    public PersonName Han(DeterministicRandom random, bool male, int birthYear, bool she)
    {
        string family = (she ? _sheSurnames : _surnames).Draw(random);
        string given = GivenName(random, male, birthYear);
        return HanName(family, given);
    }

    public string GivenName(DeterministicRandom random, bool male, int birthYear)
    {
        int cohort = Cohort(birthYear);
        double singleShare = cohort switch { 0 => 0.45, 1 => 0.3, _ => 0.15 };
        WeightedTable<string> table = _given[male ? 0 : 1, cohort];
        string first = table.Draw(random);
        if (random.Chance(singleShare))
        {
            return first;
        }

        string second = table.Draw(random);
        for (int attempt = 0; attempt < 4 && second == first; attempt++)
        {
            second = table.Draw(random);
        }

        return first + second;
    }

    public PersonName HanName(string family, string given) =>
        new(NameStyle.Han, family, [given], _tables.ToPinyin(family), [_tables.ToPinyin(given)]);

    public PersonName Uyghur(DeterministicRandom random, bool male)
    {
        var own = Minority(random, "uyghur", male);
        var father = Minority(random, "uyghur", true);
        return new PersonName(NameStyle.Uyghur, father.Name, [own.Name], father.Latin, [own.Latin]);
    }

    public PersonName Tibetan(DeterministicRandom random, bool male)
    {
        var first = Minority(random, "tibetan", male);
        var second = Minority(random, "tibetan", male);
        return new PersonName(NameStyle.Tibetan, null, [first.Name, second.Name], null, [first.Latin, second.Latin]);
    }

    public (PersonName Name, string Nationality) Foreign(DeterministicRandom random, bool male)
    {
        var candidates = _tables.ForeignNames.Where(f => f.Sex == (male ? 'M' : 'F')).ToArray();
        var pick = candidates[random.Next(candidates.Length)];
        return (new PersonName(NameStyle.Latin, null, [], pick.Family, [pick.Given]), pick.Nationality);
    }

    private (string Name, string Latin) Minority(DeterministicRandom random, string group, bool male)
    {
        char sex = male ? 'M' : 'F';
        var candidates = _tables.MinorityNames.Where(m => m.Group == group && (m.Sex == sex || m.Sex == 'U')).ToArray();
        var pick = candidates[random.Next(candidates.Length)];
        return (pick.Name, pick.Latin);
    }

    private static int Cohort(int birthYear) => birthYear < 1980 ? 0 : birthYear < 2000 ? 1 : 2;

    private static double EraFactor(char era, int cohort) => (era, cohort) switch
    {
        ('O', 0) => 3,
        ('O', 1) => 1,
        ('O', _) => 0.2,
        ('M', 0) => 0.1,
        ('M', 1) => 0.5,
        ('M', _) => 3,
        (_, 1) => 2,
        _ => 1,
    };
}
