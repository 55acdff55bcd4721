namespace OpenHip.Modules.Mpi.Domain.Matching;

/// <summary>
/// The population kept in memory for single-record matching: every record's blocking keys (64-bit hashes of the
/// <see cref="BlockingPasses"/> keys, so a million records fit) point to the records that share them, and name counts
/// give the term-frequency adjustment without a pass over the population. Upserts are ordered by version per id, so
/// the same change arriving twice, or an older one late, changes nothing. Readers run in parallel with each other.
/// </summary>
internal sealed class BlockingIndex : IDisposable
{
    /// <summary>As in batch blocking: a key shared by more records than this says nothing and is not scanned.</summary>
    public const int MaxBlockSize = 500;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<Entry>> _blocks = [];
    private readonly NameCounts _families = new();
    private readonly NameCounts _givens = new();

    /// <param name="LogOdds">The match weight behind <paramref name="Probability"/>: it ranks candidates whose probabilities round to the same double (near 1).</param>
    public sealed record Match(string Id, double Probability, MatchGrade Grade, IReadOnlyList<(ComparedField Field, int Level, double Weight)> Evidence, double LogOdds = 0);

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _entries.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds or replaces the record of <c>record.Id</c> unless a newer (or the same) version is already in.</summary>
    public bool Upsert(PersonRecord record, long version)
    {
        ArgumentNullException.ThrowIfNull(record);
        ulong[] keys = [.. BlockingPasses.Keys(record).Select(BlockingPasses.Hash).Distinct()];
        _lock.EnterWriteLock();
        try
        {
            if (!Advance(record.Id, version))
            {
                return false;
            }

            RemoveEntry(record.Id);
            var entry = new Entry(record, keys);
            _entries[record.Id] = entry;
            foreach (ulong key in keys)
            {
                if (!_blocks.TryGetValue(key, out List<Entry>? block))
                {
                    block = [];
                    _blocks[key] = block;
                }

                block.Add(entry);
            }

            _families.Add(TermFrequencies.FamilyValue(record), 1);
            _givens.Add(TermFrequencies.GivenValue(record), 1);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the record (a deletion at <paramref name="version"/>) unless a newer version is already in.</summary>
    public bool Remove(string id, long version)
    {
        _lock.EnterWriteLock();
        try
        {
            return Advance(id, version) && RemoveEntry(id);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Whether the index has seen <paramref name="version"/> of the record (or a later one, or its deletion).</summary>
    public bool Holds(string id, long version)
    {
        _lock.EnterReadLock();
        try
        {
            return _versions.TryGetValue(id, out long known) && known >= version;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public PersonRecord? Get(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _entries.TryGetValue(id, out Entry? entry) ? entry.Record : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Every record now in the index (for fitting the model).</summary>
    public List<PersonRecord> Snapshot()
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _entries.Values.Select(e => e.Record)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Comparison patterns of a uniform random sample of at most <paramref name="maxPairs"/> candidate pairs, for EM: the
    /// pairs of randomly chosen anchor records with the records sharing a (not oversized) block with them. Every
    /// candidate pair is in the sample when one of its two records is an anchor, so each pair has the same chance and
    /// the sample's patterns are distributed as the whole candidate set's; and a fit costs the same at any population.
    /// When every record is an anchor the sample is the whole candidate set, each pair once.
    /// </summary>
    public PatternCounts SampleCandidatePatterns(int maxPairs, int seed)
    {
        Entry[] entries;
        _lock.EnterReadLock();
        try
        {
            entries = [.. _entries.Values];
        }
        finally
        {
            _lock.ExitReadLock();
        }

        // Seeded so that the same population gives the same model; security does not come into it.
#pragma warning disable CA5394 // Random is fine for sampling records
        new Random(seed).Shuffle(entries);
#pragma warning restore CA5394
        var anchors = new HashSet<Entry>(ReferenceEqualityComparer.Instance);
        var counts = new PatternCounts();
        var seen = new HashSet<Entry>(ReferenceEqualityComparer.Instance);
        var levels = new byte[FieldLevels.FieldCount];
        foreach (Entry anchor in entries)
        {
            if (counts.Total >= maxPairs)
            {
                break;
            }

            anchors.Add(anchor);
            seen.Clear();

            // One anchor at a time under the lock, so that writers are not held up for the whole sample.
            _lock.EnterReadLock();
            try
            {
                if (!_entries.TryGetValue(anchor.Record.Id, out Entry? current) || !ReferenceEquals(current, anchor))
                {
                    continue;
                }

                foreach (ulong key in anchor.Keys)
                {
                    if (!_blocks.TryGetValue(key, out List<Entry>? block) || block.Count > MaxBlockSize)
                    {
                        continue;
                    }

                    foreach (Entry other in block)
                    {
                        // The anchor itself is in the set too; a pair of two anchors was counted from the one drawn first.
                        if (anchors.Contains(other) || !seen.Add(other))
                        {
                            continue;
                        }

                        PairComparer.Compare(anchor.Record, other.Record, levels);
                        counts.Add(PairComparer.Pack(levels));
                    }
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }

        return counts;
    }

    /// <summary>The records sharing a blocking key with <paramref name="query"/>, scored and graded, best first; the query's own id is left out.</summary>
    public IReadOnlyList<Match> Query(PersonRecord query, MatchModel model, MatchThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(thresholds);
        var seen = new HashSet<Entry>(ReferenceEqualityComparer.Instance);
        var found = new List<Match>();
        var levels = new byte[FieldLevels.FieldCount];
        _lock.EnterReadLock();
        try
        {
            foreach (ulong key in BlockingPasses.Keys(query).Select(BlockingPasses.Hash))
            {
                if (!_blocks.TryGetValue(key, out List<Entry>? block) || block.Count > MaxBlockSize)
                {
                    continue;
                }

                foreach (Entry entry in block)
                {
                    if (entry.Record.Id == query.Id || !seen.Add(entry))
                    {
                        continue;
                    }

                    PairComparer.Compare(query, entry.Record, levels);
                    (float familyTf, float givenTf) = Adjustments(entry.Record);
                    float logOdds = model.LogOdds(levels, familyTf, givenTf);
                    double probability = MatchModel.Probability(logOdds);
                    MatchGrade grade = thresholds.Grade(probability, CannotLinkRules.Applies(query, entry.Record));
                    if (grade != MatchGrade.CertainlyNot)
                    {
                        found.Add(new Match(entry.Record.Id, probability, grade, Explain(model, levels, familyTf, givenTf), logOdds));
                    }
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        // By weight, not probability: a record agreeing on everything and one agreeing on a little less both have
        // probability 1.0 in doubles, and the better one must come first.
        found.Sort((a, b) => b.LogOdds.CompareTo(a.LogOdds) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        return found;
    }

    /// <summary>The match probability of two records whether or not blocking would pair them (cluster checks).</summary>
    public double Score(PersonRecord a, PersonRecord b, MatchModel model)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(model);
        Span<byte> levels = stackalloc byte[FieldLevels.FieldCount];
        PairComparer.Compare(a, b, levels);
        _lock.EnterReadLock();
        try
        {
            (float familyTf, float givenTf) = Adjustments(b);
            return MatchModel.Probability(model.LogOdds(levels, familyTf, givenTf));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static List<(ComparedField, int, double)> Explain(MatchModel model, byte[] levels, float familyTf, float givenTf)
    {
        var evidence = new List<(ComparedField, int, double)>();
        for (int f = 0; f < FieldLevels.FieldCount; f++)
        {
            if (levels[f] != 0 && model.Probabilities.Active[f])
            {
                evidence.Add(((ComparedField)f, levels[f], model.FieldWeight(f, levels, familyTf, givenTf)));
            }
        }

        return evidence;
    }

    private (float Family, float Given) Adjustments(PersonRecord r) =>
        (_families.Adjustment(TermFrequencies.FamilyValue(r)), _givens.Adjustment(TermFrequencies.GivenValue(r)));

    private bool Advance(string id, long version)
    {
        if (_versions.TryGetValue(id, out long known) && known >= version)
        {
            return false;
        }

        _versions[id] = version;
        return true;
    }

    private bool RemoveEntry(string id)
    {
        if (!_entries.Remove(id, out Entry? old))
        {
            return false;
        }

        foreach (ulong key in old.Keys)
        {
            if (_blocks.TryGetValue(key, out List<Entry>? block))
            {
                block.Remove(old);
                if (block.Count == 0)
                {
                    _blocks.Remove(key);
                }
            }
        }

        _families.Add(TermFrequencies.FamilyValue(old.Record), -1);
        _givens.Add(TermFrequencies.GivenValue(old.Record), -1);
        return true;
    }

    /// <summary>A class, not a record: blocks find and remove entries by reference.</summary>
    private sealed class Entry(PersonRecord record, ulong[] keys)
    {
        public PersonRecord Record { get; } = record;

        public ulong[] Keys { get; } = keys;
    }

    /// <summary>Counts of one name part with the running sum of squared counts that the adjustment needs.</summary>
    private sealed class NameCounts
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private long _present;
        private double _sumOfSquares;

        public void Add(string value, int delta)
        {
            if (value.Length == 0)
            {
                return;
            }

            long before = _counts.GetValueOrDefault(value);
            long after = before + delta;
            _sumOfSquares += ((double)after * after) - ((double)before * before);
            _present += delta;
            if (after == 0)
            {
                _counts.Remove(value);
            }
            else
            {
                _counts[value] = after;
            }
        }

        public float Adjustment(string value) =>
            value.Length == 0 ? 0 : TermFrequencies.Adjustment(_counts.GetValueOrDefault(value), _present, _sumOfSquares);
    }
}
