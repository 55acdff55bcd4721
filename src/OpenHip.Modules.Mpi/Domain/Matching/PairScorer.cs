namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Compares and scores many pairs on every core. Each worker reuses one stack buffer, so the loop allocates
/// nothing per pair.
/// </summary>
internal static class PairScorer
{
    /// <summary>Comparison vectors (packed) of the given pairs.</summary>
    public static ulong[] Vectors(IReadOnlyList<PersonRecord> records, long[] keys)
    {
        var vectors = new ulong[keys.Length];
        Parallel.For(0, Chunks(keys.Length), chunk =>
        {
            Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
            (int from, int to) = ChunkRange(chunk, keys.Length);
            for (int p = from; p < to; p++)
            {
                (int i, int j) = Blocker.Unpack(keys[p]);
                PairComparer.Compare(records[i], records[j], levels);
                vectors[p] = PairComparer.Pack(levels);
            }
        });
        return vectors;
    }

    /// <summary>Log-odds of already compared pairs.</summary>
    public static float[] Score(MatchModel model, long[] keys, ulong[] vectors)
    {
        var logOdds = new float[keys.Length];
        Parallel.For(0, Chunks(keys.Length), chunk =>
        {
            Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
            (int from, int to) = ChunkRange(chunk, keys.Length);
            for (int p = from; p < to; p++)
            {
                Unpack(vectors[p], levels);
                logOdds[p] = model.LogOdds(Blocker.Unpack(keys[p]).I, levels);
            }
        });
        return logOdds;
    }

    /// <summary>Compare and score: what a fitted model does with new pairs.</summary>
    public static float[] CompareAndScore(IReadOnlyList<PersonRecord> records, MatchModel model, long[] keys) =>
        Score(model, keys, Vectors(records, keys));

    public static void Unpack(ulong packed, Span<byte> levels)
    {
        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            levels[f] = PairComparer.Level(packed, f);
        }
    }

    private const int ChunkSize = 16_384;

    private static int Chunks(int count) => (count + ChunkSize - 1) / ChunkSize;

    private static (int From, int To) ChunkRange(int chunk, int count) => (chunk * ChunkSize, Math.Min(count, (chunk + 1) * ChunkSize));
}
