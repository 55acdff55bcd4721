namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The m/u estimates for matching single candidates against a population, fitted by EM on the population itself (the
/// patient index decides when to refit: estimates move slowly).
/// </summary>
internal static class PopulationFit
{
    /// <summary>Below this many expected matches among the candidate pairs, EM has nothing to learn m from.</summary>
    private const double MinimumExpectedMatches = 20;

    /// <summary>Below this many records, random pairs are too few to estimate u: the priors serve.</summary>
    private const int MinimumPopulation = 1000;

    /// <summary>
    /// At most this many candidate pairs feed EM: a few thousand distinct patterns already stand for them, and the fit
    /// then costs the same whatever the population (every candidate pair of 980,000 records took 315 s).
    /// </summary>
    public const int SampledCandidatePairs = 500_000;

    /// <summary>Random pairs that start u (nearly all non-matches).</summary>
    private const int RandomPairCount = 50_000;

    /// <summary>
    /// m/u and λ fitted on a bounded random sample of the index's candidate pairs (see
    /// <see cref="BlockingIndex.SampleCandidatePatterns"/>), u started from random pairs of its records.
    /// </summary>
    public static FieldProbabilities Estimate(BlockingIndex index, int maxCandidatePairs = SampledCandidatePairs)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Count < MinimumPopulation)
        {
            return PriorProbabilities.Create();
        }

        PatternCounts candidates = index.SampleCandidatePatterns(maxCandidatePairs, seed: 1);
        FieldProbabilities fitted = EmEstimator.Fit(candidates, RandomPairs.Sample(index.Snapshot(), RandomPairCount, seed: 1), classifyBy: EmEstimator.ClassifyingFields);

        // An index without duplicates yet keeps the prior m, with u from its own records; so does one where EM found
        // some other class than the duplicates.
        return fitted.Lambda * candidates.Total >= MinimumExpectedMatches && AgreementIsEvidence(fitted) ? fitted : PriorProbabilities.WithPriorM(fitted);
    }

    /// <summary>
    /// Whether exact agreement on every voting field makes a match more likely, as it must. Without duplicates to find,
    /// EM settles on whatever groups the candidates best: strangers sharing a household's phone, address and insurance
    /// number (the load driver's population at 1,000,000), whose "matches" differ in given name and birth date, so that
    /// agreeing on them became evidence against a match and $match ranked a Patient below its namesakes.
    /// </summary>
    private static bool AgreementIsEvidence(FieldProbabilities fitted)
    {
        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            if (fitted.Active[f] && EmEstimator.ClassifyingFields[f] && fitted.M[f, 1] < fitted.U[f, 1])
            {
                return false;
            }
        }

        return true;
    }
}
