using OpenHip.Modules.Mpi.Domain.Matching;
using Xunit;

namespace OpenHip.Modules.Mpi.Tests.Domain.Matching;

public sealed class ClustererTests
{
    private const float Strong = 10f; // log2 odds: p ≈ 0.999
    private const float Weak = -10f;

    [Fact]
    public void Run_OneStrongPairBetweenTwoClusters_DoesNotChainThem()
    {
        // {0,1,2} and {3,4,5} are each tight; only 2-3 look alike across them, above the link threshold but
        // weaker than the pairs inside each (a single-link clustering would chain all six).
        PersonRecord[] records = [.. Enumerable.Range(0, 6).Select(i => Records.Zhang(i.ToString()))];
        var scores = new Dictionary<(int, int), float>();
        for (int i = 0; i < 6; i++)
        {
            for (int j = i + 1; j < 6; j++)
            {
                scores[(i, j)] = (i < 3) == (j < 3) ? Strong : Weak;
            }
        }

        scores[(2, 3)] = Strong - 1;

        int[] clusters = Cluster(records, scores, new ClusteringOptions());

        Assert.Equal([clusters[0], clusters[0], clusters[0]], clusters[..3]);
        Assert.Equal([clusters[3], clusters[3], clusters[3]], clusters[3..]);
        Assert.NotEqual(clusters[0], clusters[3]);
    }

    [Fact]
    public void Run_MostCrossPairsStrong_MergesDespiteOneWeakPair()
    {
        PersonRecord[] records = [.. Enumerable.Range(0, 4).Select(i => Records.Zhang(i.ToString()))];
        var scores = new Dictionary<(int, int), float>
        {
            [(0, 1)] = Strong,
            [(2, 3)] = Strong,
            [(0, 2)] = Strong,
            [(0, 3)] = Strong,
            [(1, 2)] = Strong,
            [(1, 3)] = Weak,
        };

        int[] clusters = Cluster(records, scores, new ClusteringOptions());

        Assert.Single(clusters.Distinct());
    }

    [Fact]
    public void Run_DifferentValidNationalIds_NeverAutoLinkWhateverTheScore()
    {
        PersonRecord[] records =
        [
            Records.Zhang("a", "11010519491231002X", valid: true),
            Records.Zhang("b", "330106198703120012", valid: true),
            Records.Zhang("c"),
        ];
        var scores = new Dictionary<(int, int), float> { [(0, 1)] = Strong, [(0, 2)] = Strong, [(1, 2)] = Strong };

        int[] clusters = Cluster(records, scores, new ClusteringOptions());

        Assert.NotEqual(clusters[0], clusters[1]);
        Assert.True(CannotLinkRules.Applies(records[0], records[1]));
    }

    [Fact]
    public void Run_OneRecordPerSource_KeepsTwoRecordsOfOneFileApart()
    {
        PersonRecord[] records = [Records.Zhang("a") with { Source = 0 }, Records.Zhang("b") with { Source = 0 }, Records.Zhang("c") with { Source = 1 }];
        var scores = new Dictionary<(int, int), float> { [(0, 1)] = Strong, [(0, 2)] = Strong + 1, [(1, 2)] = Strong };

        int[] clusters = Cluster(records, scores, new ClusteringOptions { OneRecordPerSource = true });

        Assert.Equal(clusters[0], clusters[2]);
        Assert.NotEqual(clusters[0], clusters[1]);
    }

    private static int[] Cluster(PersonRecord[] records, Dictionary<(int, int), float> scores, ClusteringOptions options)
    {
        KeyValuePair<long, float>[] sorted = [.. scores.Select(kv => KeyValuePair.Create(Blocker.PairKey(kv.Key.Item1, kv.Key.Item2), kv.Value)).OrderBy(kv => kv.Key)];
        var pairs = new ScoredPairs([.. sorted.Select(kv => kv.Key)], [.. sorted.Select(kv => kv.Value)]);
        var model = new MatchModel(new FieldProbabilities { Lambda = 0.5 }, new float[records.Length], new float[records.Length]);
        return new Clusterer(records, model, pairs, options).Run();
    }
}
