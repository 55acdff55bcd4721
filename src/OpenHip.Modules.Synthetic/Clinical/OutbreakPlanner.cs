using OpenHip.Modules.Synthetic.Domain;
using OpenHip.Modules.Synthetic.Region;
using OpenHip.Modules.Synthetic.Residents;

namespace OpenHip.Modules.Synthetic.Clinical;

/// <summary>
/// Places two outbreaks from the seed: hand-foot-and-mouth disease among small children in spring (the usual
/// kindergarten pattern) and norovirus among school-age children in early winter. Sizes scale with the region so
/// that surveillance has something to find at any size; the attack probability is set so the expected number of
/// cases hits the target, and the real count is labelled after generation.
/// </summary>
internal static class OutbreakPlanner
{
    public static IReadOnlyList<PlannedOutbreak> Plan(SyntheticRegionOptions options)
    {
        var random = DeterministicRandom.For(options.Seed, RandomStream.Outbreaks, 0);
        double totalPopulation = Geography.Counties.Sum(c => c.PopulationThousands);
        var counties = new WeightedTable<Division>(Geography.Counties.Select(c => (c, (double)c.PopulationThousands)));
        Division hfmdCounty = counties.Draw(random);
        Division noroCounty = counties.Draw(random);
        for (int attempt = 0; attempt < 8 && noroCounty == hfmdCounty; attempt++)
        {
            noroCounty = counties.Draw(random);
        }

        DateOnly reference = options.ReferenceDate;
        int springYear = reference >= new DateOnly(reference.Year, 6, 15) ? reference.Year : reference.Year - 1;
        DateOnly hfmdStart = new DateOnly(springYear, 4, 20).AddDays(random.Next(0, 30));
        DateOnly noroStart = new DateOnly(reference.Year - 1, 11, 10).AddDays(random.Next(0, 25));

        return
        [
            Make("OB1", ClinicalCodes.HandFootMouth, hfmdCounty, hfmdStart, 20, 1, 5, options.Patients, totalPopulation),
            Make("OB2", ClinicalCodes.Norovirus, noroCounty, noroStart, 9, 6, 14, options.Patients, totalPopulation),
        ];
    }

    private static PlannedOutbreak Make(string id, ClinicalCode disease, Division county, DateOnly start, int days, int minAge, int maxAge, int patients, double totalPopulation)
    {
        // Target about 2 cases per 1,000 residents, at least 3; attack = target / expected eligible residents.
        double eligibleResidents = patients * AgePyramid.Share(minAge, maxAge) * county.PopulationThousands / totalPopulation;
        double target = Math.Max(3, patients * 0.002);
        double perResident = eligibleResidents <= 0 ? 0 : Math.Min(1, target / eligibleResidents);
        var definition = new OutbreakDefinition(
            id,
            disease.Value,
            disease.Display,
            county.Code,
            start,
            start.AddDays(days));
        return new PlannedOutbreak(definition, disease, minAge, maxAge, perResident);
    }
}
