using Microsoft.Data.Sqlite;
using OpenHip.Fhir.Storage.Relational.Audit;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// The audit log's patient index as a log-structured merge of runs kept in pages (<see cref="HashedKeyPage"/>, rows of
/// <c>audit_patient_hash_page</c>). Each append's keys, sorted, are written as a new run; once <c>runsPerLevel</c> runs of
/// one level (the same power of <c>runsPerLevel</c> keys) exist they are merged into one run of a higher level, a chunk
/// of whole pages at a time over the following writer turns, so that no turn holds the writer for long. Readers look a
/// patient up in every run listed in <c>audit_patient_hash_run</c> with a key count.
/// </summary>
/// <remarks>
/// A merge's target is listed without a key count (readers skip it) until its last page is written; then, in one
/// transaction, it gets its count and its sources' pages and listings are deleted. So every key is in exactly one run
/// readers see at every commit. Nothing about a merge is kept in memory between turns: each step reads where the
/// target's last page ends and goes on from there, so a turn rolled back (a failed write's savepoint, a failed commit)
/// or a crash leaves nothing to repair.
/// <para>
/// Before, keys were gathered one row per key in <c>audit_patient_recent</c> and runs were B-trees of one row per key,
/// merged through SQL: copying a key from one run to the next cost ~3 µs, and gathering it as much again (its insert,
/// its copy into a run and its delete), ~6 µs per audited read in all. As pages merged in managed code a key costs ~3 µs
/// in all over an index of millions (docs/performance.md, "Sixteenth look"). Used only from the writer loop.
/// </para>
/// </remarks>
internal sealed class AuditPatientRuns : IDisposable
{
    /// <summary>Keys one turn copies at most, so that a large move's catching up never holds the writer for long.</summary>
    internal const int TurnBudget = 256 * HashedKeyPage.MaxKeys;

    private const int SourceBatch = 8;

    private readonly SqliteConnection _connection;
    private readonly string _schema;
    private readonly int _runsPerLevel;
    private readonly RawStatement _insertPage;
    private readonly RawStatement _insertRun;
    private readonly List<HashedPatientKey> _sorted = [];
    private readonly byte[] _page = new byte[HashedKeyPage.MaxBytes];

    public AuditPatientRuns(SqliteConnection connection, string schema, int runsPerLevel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerLevel, 2);
        _connection = connection;
        _schema = schema;
        _runsPerLevel = runsPerLevel;
        _insertPage = new RawStatement(
            connection, $"INSERT INTO {schema}.audit_patient_hash_page (run, page_no, first_hash, last_hash, page) VALUES (?1, ?2, ?3, ?4, ?5)");
        _insertRun = new RawStatement(connection, $"INSERT INTO {schema}.audit_patient_hash_run (run, keys) VALUES (?1, ?2)");
    }

    /// <summary>Writes the keys as a new run, then merges a few chunks when a merge is due or under way.</summary>
    public void Add(IReadOnlyList<(long Aid, string Patient, long Recorded)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        WriteRun(keys);

        // In a steady state each key is copied once per level, and there are far fewer levels than twice the runs a
        // level merges, so merges keep pace with the keys coming in.
        long budget = Math.Min(2L * _runsPerLevel * keys.Count, TurnBudget);
        for (long copied = 0; copied < budget;)
        {
            long step = MergeStep(budget - copied);
            if (step < 0)
            {
                return;
            }

            copied += step;
        }
    }

    public void Dispose()
    {
        _insertPage.Dispose();
        _insertRun.Dispose();
    }

    private void WriteRun(IReadOnlyList<(long Aid, string Patient, long Recorded)> keys)
    {
        _sorted.Clear();
        foreach ((long aid, string patient, long recorded) in keys)
        {
            _sorted.Add(new HashedPatientKey(HashedPatientKey.Of(patient), recorded, aid));
        }

        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sorted).Sort();
        int kept = 0;
        for (int i = 0; i < _sorted.Count; i++)
        {
            // An event may name the same patient twice.
            if (kept == 0 || _sorted[kept - 1] != _sorted[i])
            {
                _sorted[kept++] = _sorted[i];
            }
        }

        _sorted.RemoveRange(kept, _sorted.Count - kept);
        long run = NextRun();
        var output = new PageWriter(this, run, 0);
        foreach (HashedPatientKey key in _sorted)
        {
            output.Add(key);
        }

        output.Finish();
        _insertRun.Integer(1, run).Integer(2, kept).Run();
    }

    /// <summary>
    /// Starts or continues the merge of the lowest level, copying up to <paramref name="most"/> keys (rounded up to whole
    /// pages) or to its end; returns the keys copied, or -1 when no merge is due. Levels merge independently, so the many
    /// small runs written while a large merge goes on are merged meanwhile.
    /// </summary>
    /// <remarks>
    /// Resuming costs a lookup and a page read in every source and the target, so a turn copies its whole budget in one
    /// step: in steps of 4,096 keys, resuming decoded ~2,800 keys per step of ten sources.
    /// </remarks>
    private long MergeStep(long most)
    {
        List<(long Run, long? Keys, long? Into)> runs = ReadRuns();
        var merges = runs.Where(r => r.Keys is null)
            .Select(t => (Target: t.Run, Sources: runs.Where(s => s.Into == t.Run).ToList()))
            .Select(m => (m.Target, m.Sources, Level: m.Sources.Count == 0 ? 0 : Level(m.Sources.Max(s => s.Keys!.Value))))
            .ToList();
        IGrouping<int, (long Run, long? Keys, long? Into)>? full = runs
            .Where(r => r.Keys is not null && r.Into is null)
            .GroupBy(r => Level(r.Keys!.Value))
            .Where(level => level.Count() >= _runsPerLevel && merges.All(m => m.Level != level.Key))
            .OrderBy(level => level.Key)
            .FirstOrDefault();
        (long Target, List<(long Run, long? Keys, long? Into)> Sources, int Level)? under = merges.Count == 0 ? null : merges.MinBy(m => m.Level);
        long target;
        List<(long Run, long? Keys, long? Into)> sourceRuns;
        if (full is not null && (under is null || full.Key < under.Value.Level))
        {
            sourceRuns = [.. full.OrderBy(r => r.Run).Take(_runsPerLevel)];
            target = NextRun();
            long[] starting = [.. sourceRuns.Select(r => r.Run)];
            Execute($"INSERT INTO {_schema}.audit_patient_hash_run (run, keys) VALUES (@v0, NULL)", target);
            Execute($"UPDATE {_schema}.audit_patient_hash_run SET merging_into = @v0 WHERE run IN ({Values(starting, 1)})", [target, .. starting]);
        }
        else if (under is { } going)
        {
            (target, sourceRuns) = (going.Target, going.Sources);
        }
        else
        {
            return -1;
        }

        long[] sources = [.. sourceRuns.Select(r => r.Run)];
        (long lastPage, HashedPatientKey? lastKey) = LastKeyOf(target);
        var cursors = new PriorityQueue<SourceCursor, HashedPatientKey>();
        foreach (long source in sources)
        {
            var cursor = new SourceCursor(this, source, lastKey);
            if (cursor.Current is { } first)
            {
                cursors.Enqueue(cursor, first);
            }
        }

        var output = new PageWriter(this, target, lastPage);
        long limit = (most + HashedKeyPage.MaxKeys - 1) / HashedKeyPage.MaxKeys * HashedKeyPage.MaxKeys;
        long copied = 0;
        HashedPatientKey? previous = lastKey;
        while (copied < limit && cursors.TryPeek(out SourceCursor? cursor, out HashedPatientKey key))
        {
            // The same key in two runs is damage (each event's key is written once); the merged run keeps it once.
            if (previous != key)
            {
                output.Add(key);
                previous = key;
                copied++;
            }

            // One sift of the heap per key instead of a dequeue's and an enqueue's.
            if (cursor.MoveNext() is { } next)
            {
                cursors.DequeueEnqueue(cursor, next);
            }
            else
            {
                cursors.Dequeue();
            }
        }

        if (cursors.Count > 0)
        {
            // A page left partly filled would be where the next step starts: it stops at the last whole page instead.
            output.FinishWholePages();
            return copied;
        }

        output.Finish();
        long total = sourceRuns.Sum(r => r.Keys!.Value);
        Execute($"UPDATE {_schema}.audit_patient_hash_run SET keys = @v1 WHERE run = @v0", target, total);
        Execute($"DELETE FROM {_schema}.audit_patient_hash_page WHERE run IN ({Values(sources, 0)})", sources);
        Execute($"DELETE FROM {_schema}.audit_patient_hash_run WHERE merging_into = @v0", target);
        return copied;
    }

    // Level n holds runs of runsPerLevel^n keys or more, below the next level's size.
    private int Level(long keys)
    {
        int level = 0;
        for (long size = _runsPerLevel; keys >= size && size < long.MaxValue / _runsPerLevel; size *= _runsPerLevel)
        {
            level++;
        }

        return level;
    }

    private long NextRun()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(run), 0) + 1 FROM {_schema}.audit_patient_hash_run";
        return (long)command.ExecuteScalar()!;
    }

    private (long PageNo, HashedPatientKey? Key) LastKeyOf(long run)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = $"SELECT page_no, page FROM {_schema}.audit_patient_hash_page WHERE run = @run ORDER BY page_no DESC LIMIT 1";
        command.Parameters.AddWithValue("@run", run);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return (0, null);
        }

        var keys = new List<HashedPatientKey>();
        HashedKeyPage.Decode(reader.GetFieldValue<byte[]>(1), keys);
        return (reader.GetInt64(0), keys[^1]);
    }

    private List<(long Run, long? Keys, long? Into)> ReadRuns()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = $"SELECT run, keys, merging_into FROM {_schema}.audit_patient_hash_run ORDER BY run";
        using SqliteDataReader reader = command.ExecuteReader();
        var runs = new List<(long Run, long? Keys, long? Into)>();
        while (reader.Read())
        {
            runs.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }

        return runs;
    }

    // "@v1, @v2" for two values bound from position 1.
    private static string Values(long[] values, int from) =>
        string.Join(", ", values.Select((_, i) => "@v" + (from + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private void Execute(string sql, params long[] values)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("@v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Keys written to a run as pages of <see cref="HashedKeyPage.MaxKeys"/>, numbered on from a page.</summary>
    private sealed class PageWriter(AuditPatientRuns owner, long run, long lastPage)
    {
        private readonly List<HashedPatientKey> _page = new(HashedKeyPage.MaxKeys);
        private long _pageNo = lastPage;

        public void Add(HashedPatientKey key)
        {
            _page.Add(key);
            if (_page.Count == HashedKeyPage.MaxKeys)
            {
                Write(_page.Count);
            }
        }

        /// <summary>Writes every key added, the last page partly filled if need be.</summary>
        public void Finish()
        {
            if (_page.Count > 0)
            {
                Write(_page.Count);
            }
        }

        /// <summary>Writes whole pages only; keys of a partly filled page are dropped (the next step copies them again).</summary>
        public void FinishWholePages() => _page.Clear();

        private void Write(int count)
        {
            Span<HashedPatientKey> keys = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_page)[..count];
            _pageNo++;
            int length = HashedKeyPage.Encode(keys, owner._page);
            owner._insertPage.Integer(1, run).Integer(2, _pageNo).Integer(3, keys[0].Patient).Integer(4, keys[^1].Patient)
                .Blob(5, owner._page.AsSpan(0, length)).Run();
            _page.RemoveRange(0, count);
        }
    }

    /// <summary>A source run's keys after a given key, read a few pages at a time.</summary>
    private sealed class SourceCursor
    {
        private readonly AuditPatientRuns _owner;
        private readonly long _run;
        private readonly List<HashedPatientKey> _keys = [];
        private long _lastPage;
        private int _at;

        // A step starts a cursor in every source but may copy a few keys from each: the page it resumes in is read alone.
        private int _batch = 1;

        public SourceCursor(AuditPatientRuns owner, long run, HashedPatientKey? after)
        {
            _owner = owner;
            _run = run;
            _lastPage = after is { } key ? FirstPageHolding(key) - 1 : 0;
            Fill();
            if (after is { } skipped)
            {
                while (Current is { } current && current.CompareTo(skipped) <= 0)
                {
                    MoveNext();
                }
            }
        }

        public HashedPatientKey? Current => _at < _keys.Count ? _keys[_at] : null;

        public HashedPatientKey? MoveNext()
        {
            _at++;
            if (_at >= _keys.Count)
            {
                Fill();
            }

            return Current;
        }

        // Pages are in key order, so the first whose last patient is at or after the key's is the first that may hold
        // keys after it.
        private long FirstPageHolding(HashedPatientKey key)
        {
            using SqliteCommand command = _owner._connection.CreateCommand();
            command.CommandText =
                $"SELECT page_no FROM {_owner._schema}.audit_patient_hash_page WHERE run = @run AND last_hash >= @hash ORDER BY last_hash, page_no LIMIT 1";
            command.Parameters.AddWithValue("@run", _run);
            command.Parameters.AddWithValue("@hash", key.Patient);
            return command.ExecuteScalar() is long pageNo ? pageNo : long.MaxValue;
        }

        // Read into memory and the reader closed before any page is written on the same connection.
        private void Fill()
        {
            _keys.Clear();
            _at = 0;
            if (_lastPage == long.MaxValue - 1)
            {
                return;
            }

            using SqliteCommand command = _owner._connection.CreateCommand();
            command.CommandText =
                $"SELECT page_no, page FROM {_owner._schema}.audit_patient_hash_page WHERE run = @run AND page_no > @after ORDER BY page_no LIMIT @batch";
            command.Parameters.AddWithValue("@run", _run);
            command.Parameters.AddWithValue("@after", _lastPage);
            command.Parameters.AddWithValue("@batch", _batch);
            _batch = SourceBatch;
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                _lastPage = reader.GetInt64(0);
                HashedKeyPage.Decode(reader.GetFieldValue<byte[]>(1), _keys);
            }
        }
    }
}
