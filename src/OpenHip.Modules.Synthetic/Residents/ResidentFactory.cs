using System.Globalization;
using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;

namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>
/// Builds resident <c>i</c> as a pure function of (seed, i). Residents come in pairs (2k, 2k+1); the second of a pair
/// is sometimes the first's twin or a same-name-same-birthday stranger, so the look-alike always sits next to its
/// original and generation stays streaming.
/// </summary>
internal sealed class ResidentFactory
{
    // Sex ratio at the 2020 census: 105.07 men per 100 women.
    private const double MaleShare = 105.07 / 205.07;
    private const double TwinPairShare = 0.02;
    private const double NamesakePairShare = 0.01;

    // Mobile number prefixes of the three operators (MIIT numbering plan), equal weights.
    private static readonly string[] MobilePrefixes = ["133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "188", "189", "199"];
    private static readonly string[] Roads = ["人民路", "解放路", "建设路", "中山路", "文化路", "和平路", "新华路", "环城北路", "学院路", "江南大道", "湖滨路", "胜利路"];

    private readonly int _seed;
    private readonly DateOnly _referenceDate;
    private readonly NameGenerator _names;
    private readonly WeightedTable<Division> _homes;

    public ResidentFactory(int seed, DateOnly referenceDate, NameGenerator names)
    {
        _seed = seed;
        _referenceDate = referenceDate;
        _names = names;
        _homes = new WeightedTable<Division>(Geography.Counties.Select(c => (c, (double)c.PopulationThousands)));
    }

    public static string KeyFor(int index) => string.Create(CultureInfo.InvariantCulture, $"R{index + 1:D7}");

    public Resident Create(int index)
    {
        Resident own = Base(index);
        if (index % 2 == 0)
        {
            return own;
        }

        var pairRandom = DeterministicRandom.For(_seed, RandomStream.Pair, index / 2);
        double roll = pairRandom.NextDouble();
        Resident original = Base(index - 1);
        if (original.Name.Style != NameStyle.Han || original.IdNumber is null || own.IdNumber is null)
        {
            return own;
        }

        if (roll < TwinPairShare)
        {
            return Twin(original, own, pairRandom);
        }

        if (roll < TwinPairShare + NamesakePairShare)
        {
            return Namesake(original, own, pairRandom);
        }

        return own;
    }

    private Resident Base(int index)
    {
        var random = DeterministicRandom.For(_seed, RandomStream.Demographics, index);
        bool male = random.Chance(MaleShare);
        DateOnly birthDate = AgePyramid.DrawBirthDate(random, _referenceDate);
        Division home = _homes.Draw(random);
        string phone = Phone(random);
        string address = Address(random);
        double roll = random.NextDouble();

        if (roll < 0.004)
        {
            (PersonName foreignName, string nationality) = _names.Foreign(random, male);
            string passport = string.Create(CultureInfo.InvariantCulture, $"{(char)('E' + random.Next(8))}{random.Next(10_000_000, 100_000_000)}");
            return new Resident(index, KeyFor(index), male, birthDate, home, Ethnicity.Foreign, foreignName, null, nationality, passport, phone, address, null);
        }

        Ethnicity ethnicity;
        PersonName name;
        string idDivision;
        if (roll < 0.007)
        {
            ethnicity = Ethnicity.Uyghur;
            name = _names.Uyghur(random, male);
            idDivision = Geography.XinjiangOrigin;
        }
        else if (roll < 0.009)
        {
            ethnicity = Ethnicity.Tibetan;
            name = _names.Tibetan(random, male);
            idDivision = Geography.TibetOrigin;
        }
        else
        {
            bool she = home.Code == Geography.JingningCode && random.Chance(0.17);
            ethnicity = she ? Ethnicity.She : Ethnicity.Han;
            name = _names.Han(random, male, birthDate.Year, she);
            idDivision = roll < 0.11 ? random.Pick(Geography.MigrantOrigins).Code : IdDivision(home, birthDate, random);
        }

        string id = ResidentIdNumber.Create(idDivision, birthDate, Sequence(random, male));
        return new Resident(index, KeyFor(index), male, birthDate, home, ethnicity, name, id, null, null, phone, address, null);
    }

    private Resident Twin(Resident original, Resident own, DeterministicRandom random)
    {
        bool male = random.Chance(MaleShare);
        string given = _names.GivenName(random, male, original.BirthDate.Year);
        string originalGiven = original.Name.Given[0];
        if (originalGiven.Length == 2 && random.Chance(0.5))
        {
            // Twins often share the first given character (子轩 / 子涵).
            given = originalGiven[0] + given[^1..];
            if (given == originalGiven)
            {
                given = _names.GivenName(random, male, original.BirthDate.Year);
            }
        }

        PersonName name = _names.HanName(original.Name.Family!, given);
        int originalSequence = int.Parse(original.IdNumber.AsSpan(14, 3), CultureInfo.InvariantCulture);
        int sequence = originalSequence + 1;
        if ((sequence % 2 == 1) != male)
        {
            sequence++;
        }

        if (sequence > 999)
        {
            sequence -= 4;
        }

        string id = ResidentIdNumber.Create(original.IdDivisionCode!, original.BirthDate, sequence);
        return own with
        {
            Male = male,
            BirthDate = original.BirthDate,
            Home = original.Home,
            Ethnicity = original.Ethnicity,
            Name = name,
            IdNumber = id,
            Phone = original.Phone,
            AddressLine = original.AddressLine,
            Relation = new ResidentRelation(ResidentRelation.Twin, original.Key),
        };
    }

    private static Resident Namesake(Resident original, Resident own, DeterministicRandom random)
    {
        string id = ResidentIdNumber.Create(own.IdDivisionCode!, original.BirthDate, Sequence(random, original.Male));
        return own with
        {
            Male = original.Male,
            BirthDate = original.BirthDate,
            Ethnicity = original.Ethnicity,
            Name = original.Name,
            IdNumber = id,
            Relation = new ResidentRelation(ResidentRelation.Namesake, original.Key),
        };
    }

    private static string IdDivision(Division home, DateOnly birthDate, DeterministicRandom random)
    {
        // People registered before the 2021 reorganisation keep the old district code in their ID number.
        if (birthDate.Year < 2021)
        {
            foreach ((string historic, _, string successor) in Geography.HistoricCodes)
            {
                if (successor == home.Code && random.Chance(0.4))
                {
                    return historic;
                }
            }
        }

        return home.Code;
    }

    private static int Sequence(DeterministicRandom random, bool male) => (random.Next(0, 499) * 2) + (male ? 1 : 2);

    private static string Phone(DeterministicRandom random) =>
        random.Pick(MobilePrefixes) + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    private static string Address(DeterministicRandom random) => string.Create(
        CultureInfo.InvariantCulture,
        $"{random.Pick(Roads)}{random.Next(1, 400)}号{random.Next(1, 30)}幢{random.Next(1, 5)}单元{random.Next(1, 25)}0{random.Next(1, 5)}室");
}
