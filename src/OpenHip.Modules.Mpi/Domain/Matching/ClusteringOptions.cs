namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>How candidate links become identities.</summary>
internal sealed record ClusteringOptions
{
    /// <summary>Pairs at or above this probability may merge their clusters (the auto-link threshold).</summary>
    public double LinkThreshold { get; init; } = 0.95;

    /// <summary>
    /// Two clusters merge only when the average match probability over all their cross pairs reaches this too:
    /// one strong pair between two large clusters whose other members disagree does not merge them.
    /// </summary>
    public double AverageThreshold { get; init; } = 0.5;

    /// <summary>When each source is already deduplicated (an institution's MRNs), a cluster takes one record per source.</summary>
    public bool OneRecordPerSource { get; init; }

    /// <summary>No cluster grows past this: a safety net against a runaway merge, far above any real family of records.</summary>
    public int MaxClusterSize { get; init; } = 200;
}
