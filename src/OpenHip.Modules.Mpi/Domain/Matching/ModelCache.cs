namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The m/u estimates for matching single candidates against a population, estimated by EM from the population
/// itself and re-estimated when it has grown by a tenth since (estimates move slowly; refitting on every query
/// would cost a full blocking pass). Thread-safe.
/// </summary>
internal sealed class ModelCache
{
    private const double GrowthBeforeRefit = 1.1;

    /// <summary>Below this many expected matches among the candidate pairs, EM has nothing to learn m from.</summary>
    private const double MinimumExpectedMatches = 20;

    /// <summary>Below this many records, random pairs are too few to estimate u: the priors serve.</summary>
    private const int MinimumPopulation = 1000;

    private readonly Lock _gate = new();
    private FieldProbabilities? _probabilities;
    private int _fittedOn;

    public int FittedOn
    {
        get
        {
            lock (_gate)
            {
                return _fittedOn;
            }
        }
    }

    /// <summary>A model for this population: cached m/u and λ, term frequencies of this very population.</summary>
    public MatchModel For(IReadOnlyList<PersonRecord> population)
    {
        ArgumentNullException.ThrowIfNull(population);
        FieldProbabilities probabilities;
        lock (_gate)
        {
            if (_probabilities is null || population.Count >= _fittedOn * GrowthBeforeRefit)
            {
                _probabilities = Estimate(population);
                _fittedOn = population.Count;
            }

            probabilities = _probabilities;
        }

        return new MatchModel(
            probabilities,
            TermFrequencies.Adjustments(population, TermFrequencies.FamilyValue),
            TermFrequencies.Adjustments(population, TermFrequencies.GivenValue));
    }

    /// <summary>m/u and λ fitted on the population (priors while it is young or has no duplicates yet).</summary>
    public static FieldProbabilities Estimate(IReadOnlyList<PersonRecord> population)
    {
        if (population.Count < MinimumPopulation)
        {
            return PriorProbabilities.Create();
        }

        long[] keys = Blocker.CandidatePairs(population);
        PatternCounts candidates = PatternCounts.From(PairScorer.Vectors(population, keys));
        FieldProbabilities fitted = EmEstimator.Fit(candidates, RandomPairs.Sample(population, 50_000, seed: 1));

        // An index without duplicates yet keeps the prior m, with u from its own records.
        return fitted.Lambda * candidates.Total >= MinimumExpectedMatches ? fitted : PriorProbabilities.WithPriorM(fitted);
    }
}
