namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Settings of one batch linkage run.</summary>
internal sealed record LinkageOptions
{
    /// <summary>Blocks larger than this are split by sorted neighbourhoods (see <see cref="Blocker.CandidatePairs"/>).</summary>
    public int MaxBlockSize { get; init; } = 100;

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
