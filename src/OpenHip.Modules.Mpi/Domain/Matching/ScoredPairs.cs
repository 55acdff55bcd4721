namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Candidate pairs (sorted keys, see <see cref="Blocker.PairKey"/>) with their match log-odds.</summary>
internal sealed class ScoredPairs(long[] keys, float[] logOdds)
{
    public long[] Keys { get; } = keys;

    public float[] LogOdds { get; } = logOdds;

    public int Count => Keys.Length;

    /// <summary>The log-odds of a candidate pair, or null when the pair was not a candidate.</summary>
    public float? Find(int i, int j)
    {
        int index = Array.BinarySearch(Keys, Blocker.PairKey(i, j));
        return index >= 0 ? LogOdds[index] : null;
    }
}
