namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Turns blocking keys into the candidate pairs (i &lt; j), each once, whatever the number of keys they share.</summary>
internal static class Blocker
{
    /// <summary>
    /// Blocks larger than <paramref name="maxBlockSize"/> are skipped: a key shared by that many records (a
    /// placeholder phone, a very common name with a common year) says nothing, and its pairs would swamp scoring.
    /// With <paramref name="crossSourceOnly"/>, pairs within one source are left out (linking deduplicated files).
    /// </summary>
    public static long[] CandidatePairs(IReadOnlyList<PersonRecord> records, int maxBlockSize = 500, bool crossSourceOnly = false)
    {
        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            foreach (string key in BlockingPasses.Keys(records[i]))
            {
                if (!blocks.TryGetValue(key, out List<int>? members))
                {
                    members = [];
                    blocks[key] = members;
                }

                members.Add(i);
            }
        }

        // A list sorted and de-duplicated at the end: a HashSet<long> hashes (i << 32 | j) to i ^ j, which collides
        // so much for record indexes that blocking 100,000 records took minutes.
        var pairs = new List<long>();
        foreach (List<int> members in blocks.Values)
        {
            if (members.Count < 2 || members.Count > maxBlockSize)
            {
                continue;
            }

            for (int x = 0; x < members.Count; x++)
            {
                for (int y = x + 1; y < members.Count; y++)
                {
                    int i = members[x];
                    int j = members[y];
                    if (i != j && !(crossSourceOnly && records[i].Source == records[j].Source))
                    {
                        pairs.Add(PairKey(i, j));
                    }
                }
            }
        }

        pairs.Sort();
        int distinct = 0;
        for (int p = 0; p < pairs.Count; p++)
        {
            if (distinct == 0 || pairs[p] != pairs[distinct - 1])
            {
                pairs[distinct++] = pairs[p];
            }
        }

        return [.. pairs.Take(distinct)];
    }

    public static long PairKey(int i, int j) => i < j ? ((long)i << 32) | (uint)j : ((long)j << 32) | (uint)i;

    public static (int I, int J) Unpack(long key) => ((int)(key >> 32), (int)(key & 0xFFFFFFFF));
}
