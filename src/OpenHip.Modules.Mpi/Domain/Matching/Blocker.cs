namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>Turns blocking keys into the candidate pairs (i &lt; j), each once, whatever the number of keys they share.</summary>
internal static class Blocker
{
    /// <summary>
    /// Blocks up to <paramref name="maxBlockSize"/> records give every pair. A larger block (a very common name with a
    /// common year, a placeholder phone) is not dropped but split: its members are sorted by each of
    /// <see cref="OversizedBlockOrders"/> and each is paired with the next <paramref name="window"/> − 1 in that order
    /// (a sorted neighbourhood), so the pairs stay linear in the population while a true pair, which agrees on most
    /// other fields, still lands within a window. With <paramref name="crossSourceOnly"/>, pairs within one source are
    /// left out (linking deduplicated files).
    /// </summary>
    public static long[] CandidatePairs(IReadOnlyList<PersonRecord> records, int maxBlockSize = 500, bool crossSourceOnly = false, int window = OversizedBlockWindow)
    {
        ArgumentNullException.ThrowIfNull(records);

        // Keys as 64-bit hashes, computed on every core: a collision only adds candidates, which scoring dismisses,
        // and a million records' keys as strings in one dictionary cost most of the blocking time.
        var recordKeys = new ulong[records.Count][];
        Parallel.For(0, records.Count, i => recordKeys[i] = [.. BlockingPasses.Keys(records[i]).Select(BlockingPasses.Hash).Distinct()]);
        var blocks = new Dictionary<ulong, List<int>>();
        for (int i = 0; i < records.Count; i++)
        {
            foreach (ulong key in recordKeys[i])
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
            if (members.Count < 2)
            {
                continue;
            }

            if (members.Count <= maxBlockSize)
            {
                AddAllPairs(records, members, crossSourceOnly, pairs);
                continue;
            }

            int[] sorted = [.. members];
            foreach (Comparison<PersonRecord> order in OversizedBlockOrders)
            {
                Array.Sort(sorted, (x, y) => order(records[x], records[y]) is var c && c != 0 ? c : x.CompareTo(y));
                AddWindowPairs(records, sorted, window, crossSourceOnly, pairs);
            }
        }

        long[] result = [.. pairs];
        Array.Sort(result);
        int distinct = 0;
        for (int p = 0; p < result.Length; p++)
        {
            if (distinct == 0 || result[p] != result[distinct - 1])
            {
                result[distinct++] = result[p];
            }
        }

        Array.Resize(ref result, distinct);
        return result;
    }

    /// <summary>How many neighbours (itself included) a record of an oversized block is paired within each order, by default.</summary>
    public const int OversizedBlockWindow = 4;

    /// <summary>
    /// The orders an oversized block is sorted in: every member of the block shares its key, so each order leads with
    /// fields the key does not have, the birth date first (a person's records nearly always agree on it; a typo in it
    /// is met by the given-name order), then names, then the contact details.
    /// </summary>
    public static readonly Comparison<PersonRecord>[] OversizedBlockOrders =
    [
        (a, b) => Chain(string.CompareOrdinal(a.BirthDate, b.BirthDate), a.HanGiven, b.HanGiven, a.Given, b.Given, a.Family, b.Family),
        (a, b) => Chain(string.CompareOrdinal(a.HanGiven, b.HanGiven), a.Given, b.Given, a.HanFamily, b.HanFamily, a.Phone, b.Phone),
        (a, b) => Chain(string.CompareOrdinal(a.Phone, b.Phone), a.NationalId, b.NationalId, a.AddressLine, b.AddressLine, a.BirthDate, b.BirthDate),
    ];

    public static long PairKey(int i, int j) => i < j ? ((long)i << 32) | (uint)j : ((long)j << 32) | (uint)i;

    public static (int I, int J) Unpack(long key) => ((int)(key >> 32), (int)(key & 0xFFFFFFFF));

    private static int Chain(int first, string a2, string b2, string a3, string b3, string a4, string b4)
    {
        if (first != 0)
        {
            return first;
        }

        int c = string.CompareOrdinal(a2, b2);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a3, b3);
        return c != 0 ? c : string.CompareOrdinal(a4, b4);
    }

    private static void AddAllPairs(IReadOnlyList<PersonRecord> records, List<int> members, bool crossSourceOnly, List<long> pairs)
    {
        for (int x = 0; x < members.Count; x++)
        {
            for (int y = x + 1; y < members.Count; y++)
            {
                Add(records, members[x], members[y], crossSourceOnly, pairs);
            }
        }
    }

    private static void AddWindowPairs(IReadOnlyList<PersonRecord> records, int[] sorted, int window, bool crossSourceOnly, List<long> pairs)
    {
        for (int x = 0; x < sorted.Length; x++)
        {
            for (int y = x + 1; y < Math.Min(sorted.Length, x + window); y++)
            {
                Add(records, sorted[x], sorted[y], crossSourceOnly, pairs);
            }
        }
    }

    private static void Add(IReadOnlyList<PersonRecord> records, int i, int j, bool crossSourceOnly, List<long> pairs)
    {
        if (i != j && !(crossSourceOnly && records[i].Source == records[j].Source))
        {
            pairs.Add(PairKey(i, j));
        }
    }
}
