namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Settings of one batch linkage run.</summary>
internal sealed record LinkageOptions
{
    /// <summary>
    /// Blocks larger than this are split by sorted neighbourhoods (see <see cref="Blocker.CandidatePairs"/>). Small, so
    /// that candidate pairs grow with the population rather than with its square: at 980,000 records a cap of 100 gave
    /// 84.6 million pairs, 20 with a window of 4 gives 41.2 million, with the same blocking recall (1.0000).
    /// </summary>
    public int MaxBlockSize { get; init; } = 20;

    /// <summary>The sorted-neighbourhood window within a block larger than <see cref="MaxBlockSize"/>.</summary>
    public int BlockWindow { get; init; } = Blocker.OversizedBlockWindow;

    /// <summary>Only pairs between different sources are compared (linking files that are each deduplicated).</summary>
    public bool CrossSourceOnly { get; init; }

    /// <summary>Random pairs sampled to start u: nearly all are non-matches, so their levels estimate u well.</summary>
    public int RandomPairs { get; init; } = 200_000;

    /// <summary>Candidate pairs (drawn at random) that EM fits m and λ on, so that estimation time does not grow with the population.</summary>
    public int EmPairs { get; init; } = 500_000;

    public int Seed { get; init; } = 1;

    public ClusteringOptions Clustering { get; init; } = new();
}
