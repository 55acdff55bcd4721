using OpenHip.Modules.Synthetic.Domain;

namespace OpenHip.Modules.Synthetic.Residents;

/// <summary>
/// Share of the population by 5-year age group (0-4 ... 90-94), percent, rounded: China, 2020 (7th) national census,
/// National Bureau of Statistics, 中国人口普查年鉴-2020 (population by age and sex). Approximate values; the last
/// group stands for 90 and over. Applied as-is to the reference date (the cohort shift since 2020 is ignored).
/// </summary>
internal static class AgePyramid
{
    private static readonly double[] Shares =
        [5.48, 6.37, 6.15, 5.29, 5.28, 6.31, 8.78, 6.96, 6.60, 8.14, 8.62, 7.17, 5.20, 5.53, 3.75, 2.41, 1.54, 0.85, 0.32];

    private static readonly WeightedTable<int> Groups = new(Shares.Select((share, group) => (group, share)));

    /// <summary>Expected share (0-1) of residents aged minAge..maxAge inclusive.</summary>
    public static double Share(int minAge, int maxAge)
    {
        double total = Shares.Sum();
        double share = 0;
        for (int age = minAge; age <= maxAge && age < Shares.Length * 5; age++)
        {
            share += Shares[age / 5] / 5;
        }

        return share / total;
    }

    public static DateOnly DrawBirthDate(DeterministicRandom random, DateOnly referenceDate)
    {
        int group = Groups.Draw(random);
        int ageDays = (group * 5 * 365) + random.Next(5 * 365);
        return referenceDate.AddDays(-ageDays - 1);
    }
}
