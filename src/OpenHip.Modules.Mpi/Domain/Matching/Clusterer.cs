namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// Groups records into identities. Pairs are taken strongest first; two clusters merge when the pair is above
/// the link threshold, no cannot-link rule holds between any of their members, and the average probability over
/// all cross pairs (scored on demand when blocking did not pair them) is above the average threshold. Single-link
/// clustering would let one weak pair chain two people together; the average resists that.
/// </summary>
internal sealed class Clusterer(IReadOnlyList<PersonRecord> records, MatchModel model, ScoredPairs pairs, ClusteringOptions options)
{
    /// <summary>The cluster of each record: the index of its first member (a record alone is its own cluster).</summary>
    public int[] Run()
    {
        int n = records.Count;
        var owner = new int[n];
        var members = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            owner[i] = i;
            members[i] = [i];
        }

        // Two clusters refused once stay refused until one of them changes: many pairs often join the same two.
        var refused = new HashSet<(int, int, int, int)>();
        float linkLogOdds = (float)Math.Log2(options.LinkThreshold / (1 - options.LinkThreshold));
        int[] order = [.. Enumerable.Range(0, pairs.Count).Where(p => pairs.LogOdds[p] >= linkLogOdds)];
        Array.Sort(order, (x, y) => pairs.LogOdds[y].CompareTo(pairs.LogOdds[x]));

        foreach (int p in order)
        {
            (int i, int j) = Blocker.Unpack(pairs.Keys[p]);
            int a = owner[i];
            int b = owner[j];
            if (a == b || members[a].Count + members[b].Count > options.MaxClusterSize)
            {
                continue;
            }

            (int, int, int, int) attempt = a < b ? (a, b, members[a].Count, members[b].Count) : (b, a, members[b].Count, members[a].Count);
            if (refused.Contains(attempt) || !MayMerge(members[a], members[b]))
            {
                refused.Add(attempt);
                continue;
            }

            (int keep, int gone) = members[a].Count >= members[b].Count ? (a, b) : (b, a);
            foreach (int m in members[gone])
            {
                owner[m] = keep;
            }

            members[keep].AddRange(members[gone]);
            members[gone] = [];
        }

        return owner;
    }

    private bool MayMerge(List<int> a, List<int> b)
    {
        double sum = 0;
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        foreach (int x in a)
        {
            foreach (int y in b)
            {
                if (CannotLinkRules.Applies(records[x], records[y])
                    || (options.OneRecordPerSource && records[x].Source == records[y].Source))
                {
                    return false;
                }

                float? logOdds = pairs.Find(x, y);
                if (logOdds is null)
                {
                    PairComparer.Compare(records[x], records[y], levels);
                    logOdds = model.LogOdds(x, levels);
                }

                sum += MatchModel.Probability(logOdds.Value);
            }
        }

        return sum / (a.Count * b.Count) >= options.AverageThreshold;
    }
}
