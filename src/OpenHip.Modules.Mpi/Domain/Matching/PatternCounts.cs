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
}
