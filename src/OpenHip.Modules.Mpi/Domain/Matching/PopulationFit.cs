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

        // An index without duplicates yet keeps the prior m, with u from its own records.
        return fitted.Lambda * candidates.Total >= MinimumExpectedMatches ? fitted : PriorProbabilities.WithPriorM(fitted);
    }
}
