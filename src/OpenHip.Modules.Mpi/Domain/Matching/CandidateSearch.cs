namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Matches one record against a population: every member that shares a blocking key is compared and scored,
/// graded by the thresholds and the cannot-link rules, and explained field by field.
/// </summary>
internal static class CandidateSearch
{
    public sealed record Found(int Index, double Probability, MatchGrade Grade, IReadOnlyList<(ComparedField Field, int Level, double Weight)> Evidence);

    public static IReadOnlyList<Found> Run(PersonRecord query, IReadOnlyList<PersonRecord> population, MatchModel model, MatchThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(thresholds);
        var keys = new HashSet<string>(BlockingPasses.Keys(query), StringComparer.Ordinal);
        var found = new List<Found>();
        var levels = new byte[FieldLevels.FieldCount];
        for (int j = 0; j < population.Count; j++)
        {
            if (!BlockingPasses.Keys(population[j]).Any(keys.Contains))
            {
                continue;
            }

            PairComparer.Compare(query, population[j], levels);

            // The term-frequency adjustment uses the member's value: equal to the query's when it applies.
            double probability = MatchModel.Probability(model.LogOdds(j, levels));
            MatchGrade grade = thresholds.Grade(probability, CannotLinkRules.Applies(query, population[j]));
            if (grade != MatchGrade.CertainlyNot)
            {
                found.Add(new Found(j, probability, grade, Explain(model, j, levels)));
            }
        }

        return [.. found.OrderByDescending(f => f.Probability)];
    }

    private static List<(ComparedField, int, double)> Explain(MatchModel model, int j, byte[] levels)
    {
        var evidence = new List<(ComparedField, int, double)>();
        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            if (levels[f] == 0 || !model.Probabilities.Active[f])
            {
                continue;
            }

            double weight = model.FieldWeight(f, j, levels);
            evidence.Add(((ComparedField)f, levels[f], weight));
        }

        return evidence;
    }
}
