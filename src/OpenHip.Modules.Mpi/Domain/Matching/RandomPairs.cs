namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Comparison patterns of random record pairs: nearly all non-matches, so they estimate u.</summary>
internal static class RandomPairs
{
    public static PatternCounts Sample(IReadOnlyList<PersonRecord> records, int pairs, int seed, bool crossSourceOnly = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        var counts = new PatternCounts();
        if (records.Count < 2)
        {
            return counts;
        }

        // Seeded so that a run is reproducible; security does not come into it.
#pragma warning disable CA5394 // Random is fine for sampling pairs
        var random = new Random(seed);
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        for (int s = 0; s < pairs; s++)
        {
            int i = random.Next(records.Count);
            int j = random.Next(records.Count);
            if (i == j || (crossSourceOnly && records[i].Source == records[j].Source))
            {
                continue;
            }

            PairComparer.Compare(records[i], records[j], levels);
            counts.Add(PairComparer.Pack(levels));
        }
#pragma warning restore CA5394

        return counts;
    }
}
