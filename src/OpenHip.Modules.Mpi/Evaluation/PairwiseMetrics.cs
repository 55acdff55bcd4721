namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>
/// Pairwise precision, recall and F1 of a clustering against the truth: every pair of records put in one
/// cluster is a predicted link. For linkage of deduplicated files only pairs across sources count.
/// </summary>
internal sealed record PairwiseMetrics(long TruePositives, long FalsePositives, long FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static PairwiseMetrics Of(IReadOnlyList<string> entities, IReadOnlyList<int> clusters, IReadOnlyList<int> sources, bool crossSourceOnly)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(sources);
        long predicted = PairsWithin(Enumerable.Range(0, entities.Count).GroupBy(i => clusters[i]), sources, crossSourceOnly);
        long truth = PairsWithin(Enumerable.Range(0, entities.Count).GroupBy(i => entities[i]), sources, crossSourceOnly);
        long both = PairsWithin(Enumerable.Range(0, entities.Count).GroupBy(i => (clusters[i], entities[i])), sources, crossSourceOnly);
        return new PairwiseMetrics(both, predicted - both, truth - both);
    }

    /// <summary>Every unordered pair within each group (across sources only, when asked).</summary>
    private static long PairsWithin<TKey>(IEnumerable<IGrouping<TKey, int>> groups, IReadOnlyList<int> sources, bool crossSourceOnly)
    {
        long total = 0;
        foreach (IGrouping<TKey, int> group in groups)
        {
            long n = group.Count();
            total += n * (n - 1) / 2;
            if (crossSourceOnly)
            {
                foreach (IGrouping<int, int> bySource in group.GroupBy(i => sources[i]))
                {
                    long s = bySource.Count();
                    total -= s * (s - 1) / 2;
                }
            }
        }

        return total;
    }
}
