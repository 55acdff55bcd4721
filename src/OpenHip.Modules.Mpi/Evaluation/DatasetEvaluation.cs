using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>A dataset linked once and scored against its truth.</summary>
internal sealed record DatasetEvaluation(LabelledDataset Dataset, MatchRun Run, PairwiseMetrics Metrics, double BlockingRecall, long TruePairs)
{
    public static DatasetEvaluation Of(LabelledDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        MatchRun run = BatchLinker.Run(dataset.Records, dataset.Options);
        return new DatasetEvaluation(dataset, run, Measure(dataset, run.Clusters), RecallOfBlocking(dataset, run.Pairs, out long truePairs), truePairs);
    }

    public static PairwiseMetrics Measure(LabelledDataset dataset, IReadOnlyList<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return PairwiseMetrics.Of(dataset.Entities, clusters, [.. dataset.Records.Select(r => r.Source)], dataset.Options.CrossSourceOnly);
    }

    /// <summary>Share of the true pairs that blocking made candidates: the ceiling on recall.</summary>
    private static double RecallOfBlocking(LabelledDataset dataset, ScoredPairs pairs, out long truePairs)
    {
        long found = 0;
        truePairs = 0;
        foreach (IGrouping<string, int> entity in Enumerable.Range(0, dataset.Records.Count).GroupBy(i => dataset.Entities[i]))
        {
            int[] members = [.. entity];
            for (int x = 0; x < members.Length; x++)
            {
                for (int y = x + 1; y < members.Length; y++)
                {
                    if (dataset.Options.CrossSourceOnly && dataset.Records[members[x]].Source == dataset.Records[members[y]].Source)
                    {
                        continue;
                    }

                    truePairs++;
                    found += pairs.Find(members[x], members[y]) is null ? 0 : 1;
                }
            }
        }

        return truePairs == 0 ? 1 : (double)found / truePairs;
    }
}
