namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>The outcome of a batch linkage: the fitted model, every candidate pair's score, and the identities.</summary>
internal sealed record MatchRun(
    IReadOnlyList<PersonRecord> Records,
    MatchModel Model,
    ScoredPairs Pairs,
    int[] Clusters,
    TimeSpan BlockingTime,
    TimeSpan ComparisonTime,
    TimeSpan EstimationTime,
    TimeSpan ClusteringTime);
