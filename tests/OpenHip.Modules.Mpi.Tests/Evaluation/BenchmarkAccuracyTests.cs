using OpenHip.Modules.Mpi.Evaluation;
using OpenHip.Testing;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Evaluation;

/// <summary>
/// The accuracy targets of issue 6 on the shared benchmark files (../shared/data/mpi): pairwise F1 after
/// clustering, with the model estimated from each file itself (no labels used), and blocking recall above 99.5%.
/// </summary>
public sealed class BenchmarkAccuracyTests
{
    [SkippableTheory]
    [InlineData(true, 0.999)]
    [InlineData(false, 0.998)]
    public void Febrl4Linkage_MeetsF1Target(bool withIds, double target)
    {
        DatasetEvaluation e = DatasetEvaluation.Of(FebrlDatasets.Link(SharedDataFolder.Require("mpi/febrl"), withIds));

        Assert.True(e.Metrics.F1 >= target, $"F1 {e.Metrics.F1:F4} < {target} (P {e.Metrics.Precision:F4}, R {e.Metrics.Recall:F4})");
        Assert.True(e.BlockingRecall > 0.995, $"blocking recall {e.BlockingRecall:F4}");
    }

    [SkippableTheory]
    [InlineData(true, 0.998)]
    [InlineData(false, 0.994)]
    public void Febrl3Dedup_MeetsF1Target(bool withIds, double target)
    {
        DatasetEvaluation e = DatasetEvaluation.Of(FebrlDatasets.Dedup(SharedDataFolder.Require("mpi/febrl"), "dataset3.csv", withIds));

        Assert.True(e.Metrics.F1 >= target, $"F1 {e.Metrics.F1:F4} < {target} (P {e.Metrics.Precision:F4}, R {e.Metrics.Recall:F4})");
        Assert.True(e.BlockingRecall > 0.995, $"blocking recall {e.BlockingRecall:F4}");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void OpenCrUganda_BeatsTheDeterministicRuleOpenCrPublished(bool withIds)
    {
        // OpenCR's own deterministic rule scored F1 0.911 on this file (its tests/README.md); we must do far better.
        DatasetEvaluation e = DatasetEvaluation.Of(UgandaDataset.Read(SharedDataFolder.Require("mpi/opencr-uganda"), withIds));

        Assert.True(e.Metrics.F1 >= 0.99, $"F1 {e.Metrics.F1:F4} (P {e.Metrics.Precision:F4}, R {e.Metrics.Recall:F4})");
        Assert.Equal(1000, e.TruePairs);
    }

    [SkippableFact]
    public void PairwiseMetrics_TruthAgainstItself_IsPerfect()
    {
        LabelledDataset d = FebrlDatasets.Dedup(SharedDataFolder.Require("mpi/febrl"), "dataset3.csv", withIds: true);
        Dictionary<string, int> ids = d.Entities.Distinct().Select((e, i) => (e, i)).ToDictionary(x => x.e, x => x.i);

        PairwiseMetrics m = DatasetEvaluation.Measure(d, [.. d.Entities.Select(e => ids[e])]);

        Assert.Equal(6538, m.TruePositives); // the README's count of true pairs
        Assert.Equal(1.0, m.F1);
    }
}
