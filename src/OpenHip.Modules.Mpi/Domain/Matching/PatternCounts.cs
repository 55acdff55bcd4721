namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Comparison vectors reduced to distinct patterns with their counts: estimation then costs per pattern, not per
/// pair (a few thousand patterns stand for millions of pairs).
/// </summary>
internal sealed class PatternCounts
{
    private readonly Dictionary<ulong, long> _counts = [];

    public IReadOnlyDictionary<ulong, long> Counts => _counts;

    public long Total { get; private set; }

    public void Add(ulong packed, long count = 1)
    {
        _counts[packed] = _counts.GetValueOrDefault(packed) + count;
        Total += count;
    }

    public static PatternCounts From(ReadOnlySpan<ulong> vectors)
    {
        var counts = new PatternCounts();
        foreach (ulong v in vectors)
        {
            counts.Add(v);
        }

        return counts;
    }

    /// <summary>
    /// The patterns of at most <paramref name="maxPairs"/> of the vectors drawn at random (all of them when there are no
    /// more): EM learns as much from a few hundred thousand pairs as from 85 million, in a bounded time.
    /// </summary>
    public static PatternCounts Sample(ReadOnlySpan<ulong> vectors, int maxPairs, int seed)
    {
        if (vectors.Length <= maxPairs)
        {
            return From(vectors);
        }

        var counts = new PatternCounts();
#pragma warning disable CA5394 // seeded so that a run is reproducible; security does not come into it
        var random = new Random(seed);
        for (int s = 0; s < maxPairs; s++)
        {
            counts.Add(vectors[random.Next(vectors.Length)]);
        }
#pragma warning restore CA5394

        return counts;
    }
}
