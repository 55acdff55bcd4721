using OpenHip.Modules.Mpi.Domain.Matching;

namespace OpenHip.Modules.Mpi.Evaluation;

/// <summary>
/// Precision and recall as the link threshold moves: per pair (a candidate at or above the threshold is a link)
/// and after clustering with that threshold. Pairs that blocking missed count as missed links at every threshold.
/// </summary>
internal static class ThresholdCurve
{
    public sealed record Point(double Threshold, PairwiseMetrics Pairs, PairwiseMetrics Clustered);

    public static IReadOnlyList<Point> Points(DatasetEvaluation evaluation, IEnumerable<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(thresholds);
        LabelledDataset dataset = evaluation.Dataset;
        MatchRun run = evaluation.Run;
        var points = new List<Point>();
        foreach (double t in thresholds)
        {
            long tp = 0;
            long fp = 0;
            for (int p = 0; p < run.Pairs.Count; p++)
            {
                if (MatchModel.Probability(run.Pairs.LogOdds[p]) < t)
                {
                    continue;
                }

                (int i, int j) = Blocker.Unpack(run.Pairs.Keys[p]);
                if (dataset.Entities[i] == dataset.Entities[j])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            int[] clusters = new Clusterer(dataset.Records, run.Model, run.Pairs, dataset.Options.Clustering with { LinkThreshold = t }).Run();
            points.Add(new Point(t, new PairwiseMetrics(tp, fp, evaluation.TruePairs - tp), DatasetEvaluation.Measure(dataset, clusters)));
        }

        return points;
    }
}
