using System.Diagnostics;

namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Links a whole population: blocking, comparison, estimation of the model from the data itself (EM), scoring,
/// clustering. The same steps serve a benchmark file and a rebuild of the index.
/// </summary>
internal static class BatchLinker
{
    public static MatchRun Run(IReadOnlyList<PersonRecord> records, LinkageOptions options)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        long[] keys = Blocker.CandidatePairs(records, options.MaxBlockSize, options.CrossSourceOnly, options.BlockWindow);
        TimeSpan blocking = clock.Elapsed;

        clock.Restart();
        ulong[] vectors = PairScorer.Vectors(records, keys);
        TimeSpan comparison = clock.Elapsed;

        clock.Restart();
        FieldProbabilities probabilities = EmEstimator.Fit(PatternCounts.Sample(vectors, options.EmPairs, options.Seed), RandomPairs.Sample(records, options.RandomPairs, options.Seed, options.CrossSourceOnly), classifyBy: EmEstimator.ClassifyingFields);
        var model = new MatchModel(
            probabilities,
            TermFrequencies.Adjustments(records, TermFrequencies.FamilyValue),
            TermFrequencies.Adjustments(records, TermFrequencies.GivenValue));
        TimeSpan estimation = clock.Elapsed;

        clock.Restart();
        float[] logOdds = PairScorer.Score(model, keys, vectors);
        comparison += clock.Elapsed;

        clock.Restart();
        var pairs = new ScoredPairs(keys, logOdds);
        int[] clusters = new Clusterer(records, model, pairs, options.Clustering).Run();
        return new MatchRun(records, model, pairs, clusters, blocking, comparison, estimation, clock.Elapsed);
    }
}
