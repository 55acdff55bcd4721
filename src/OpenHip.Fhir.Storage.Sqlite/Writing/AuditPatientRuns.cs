using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenHip.Fhir.Storage.Sqlite.Writing;

/// <summary>
/// The audit log's patient index as a log-structured merge. Keys are gathered in <c>audit_patient_recent</c> in arrival
/// order; once <c>mergeAt</c> have gathered they are written in key order as a new run of <c>audit_patient</c>, whose
/// key starts with the run number. A new run's number is above every other's, so it is written onto fresh pages at the
/// end of the B-tree whatever the index's size. Once <c>runsPerLevel</c> runs of one level (size) exist they are merged
/// into one run of the next level, a chunk of at most <see cref="MaxMergeChunk"/> keys at a time over the following
/// writer turns, so that no turn holds the writer for long. Readers look a patient up in every run listed in
/// <c>audit_patient_run</c>.
/// </summary>
/// <remarks>
/// Before, each merge of the gathered keys went into one B-tree keyed by patient: once that had more leaves than a merge
/// had keys, each key wrote a 4 KiB leaf again, so an audited read's page writes grew with the log (docs/performance.md,
/// "Twelfth look"), and an index larger than memory would have cost a page read per key too. Here a key is written once
/// per level, sequentially, and levels grow as the logarithm of the index's size.
/// <para>
/// A key is in exactly one place at every commit: a chunk deletes from its source runs, in the transaction that copies
/// them, exactly the keys it copied (those up to the target run's largest). What a rolled-back transaction may have left
/// wrong in memory is only a hint; the merge's state is read from <c>audit_patient_run</c> whenever it is acted on.
/// Used only from the writer loop.
/// </para>
/// </remarks>
internal sealed class AuditPatientRuns : IDisposable
{
    internal const int MaxMergeChunk = 4_096;

    private readonly SqliteConnection _connection;
    private readonly string _schema;
    private readonly int _mergeAt;
    private readonly int _runsPerLevel;
    private readonly int _chunk;
    private readonly RawStatement _insertRecent;
    private readonly RawStatement _insertRecentMany;
    private readonly RawStatement _writeRecentAsRun;
    private readonly RawStatement _clearRecent;

    // Counted, not queried: a rolled-back move leaves it high (an early run) or a rolled-back run low (a later, larger
    // one); either way every key stays in exactly one place.
    private long _recent;

    // Whether a merge may be due or under way; the runs table decides.
    private bool _merging = true;

    public AuditPatientRuns(SqliteConnection connection, string schema, int mergeAt, int runsPerLevel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(mergeAt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerLevel, 2);
        _connection = connection;
        _schema = schema;
        _mergeAt = mergeAt;
        _runsPerLevel = runsPerLevel;
        _chunk = Math.Min(mergeAt, MaxMergeChunk);

        // OR IGNORE: an event may name the same patient twice.
        string insertKeys = $"INSERT OR IGNORE INTO {schema}.audit_patient_recent (aid, patient_id, recorded) VALUES ";
        _insertRecent = new RawStatement(connection, insertKeys + RawStatement.Values(1, 3));
        _insertRecentMany = new RawStatement(connection, insertKeys + RawStatement.Values(AuditRowWriter.RowsPerStatement, 3));
        _writeRecentAsRun = new RawStatement(
            connection,
            $"INSERT INTO {schema}.audit_patient (run, patient_id, recorded, aid) SELECT ?1, patient_id, recorded, aid FROM {schema}.audit_patient_recent ORDER BY patient_id, recorded, aid");
        _clearRecent = new RawStatement(connection, $"DELETE FROM {schema}.audit_patient_recent");
        _recent = Scalar($"SELECT COUNT(*) FROM {schema}.audit_patient_recent");
    }

    /// <summary>Gathers the keys, then writes a run or merges a chunk when one is due.</summary>
    public void Add(IReadOnlyList<(long Aid, string Patient, long Recorded)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        InsertRecent(keys);
        if (_recent >= _mergeAt)
        {
            WriteRecentAsRun();
            _merging = true;
        }

        // In a steady state each key is copied once per level, and there are far fewer levels than twice the runs a
        // level merges, so merges keep pace with the keys coming in; a large move's catching up is capped so that
        // one turn never holds the writer for long.
        if (_merging)
        {
            long budget = Math.Min(2L * _runsPerLevel * keys.Count, MaxMergeChunk * 16L);
            long copied = 0;
            do
            {
                int step = MergeStep();
                _merging = step >= 0;
                copied += Math.Max(step, 0);
            }
            while (_merging && copied < budget);
        }
    }

    public void Dispose()
    {
        _insertRecent.Dispose();
        _insertRecentMany.Dispose();
        _writeRecentAsRun.Dispose();
        _clearRecent.Dispose();
    }

    private void InsertRecent(IReadOnlyList<(long Aid, string Patient, long Recorded)> keys)
    {
        const int many = AuditRowWriter.RowsPerStatement;
        int at = 0;
        for (; keys.Count - at >= many; at += many)
        {
            for (int i = 0; i < many; i++)
            {
                (long aid, string patient, long recorded) = keys[at + i];
                _insertRecentMany.Integer((i * 3) + 1, aid).Text((i * 3) + 2, patient).Integer((i * 3) + 3, recorded);
            }

            _insertRecentMany.Run();
        }

        for (; at < keys.Count; at++)
        {
            (long aid, string patient, long recorded) = keys[at];
            _insertRecent.Integer(1, aid).Text(2, patient).Integer(3, recorded).Run();
        }

        _recent += keys.Count;
    }

    private void WriteRecentAsRun()
    {
        long run = NextRun();
        _writeRecentAsRun.Integer(1, run).Run();
        Execute($"INSERT INTO {_schema}.audit_patient_run (run, keys) VALUES (@v0, @v1)", run, _writeRecentAsRun.Changes);
        _clearRecent.Run();
        _recent = 0;
    }

    /// <summary>Starts or continues a merge by one chunk; returns the keys copied, or -1 when no merge is due.</summary>
    private int MergeStep()
    {
        List<(long Run, long Keys, long? Into)> runs = ReadRuns();
        long? target = runs.Select(r => r.Into).FirstOrDefault(into => into is not null);
        long[] sources;
        if (target is null)
        {
            IGrouping<int, (long Run, long Keys, long? Into)>? full = runs
                .GroupBy(r => Level(r.Keys)).Where(level => level.Count() >= _runsPerLevel).OrderBy(level => level.Key).FirstOrDefault();
            if (full is null)
            {
                return -1;
            }

            sources = [.. full.OrderBy(r => r.Run).Take(_runsPerLevel).Select(r => r.Run)];
            target = NextRun();
            Execute($"INSERT INTO {_schema}.audit_patient_run (run, keys) VALUES (@v0, @v1)", target.Value, full.Where(r => sources.Contains(r.Run)).Sum(r => r.Keys));
            Execute($"UPDATE {_schema}.audit_patient_run SET merging_into = @v0 WHERE run IN ({Values(sources, 1)})", [target.Value, .. sources]);
        }
        else
        {
            sources = [.. runs.Where(r => r.Into == target).Select(r => r.Run)];
        }

        int copied = CopyChunk(target.Value, sources);
        if (copied < _chunk)
        {
            Execute($"DELETE FROM {_schema}.audit_patient_run WHERE merging_into = @v0", target.Value);
        }

        return copied;
    }

    /// <summary>
    /// Copies the sources' smallest keys into the target in key order (SQLite merges the ordered arms of the compound
    /// select), then deletes from the sources every key up to the largest copied. Returns the number copied.
    /// </summary>
    private int CopyChunk(long target, long[] sources)
    {
        string arms = string.Join(" UNION ALL ", sources.Select((_, i) => $"SELECT patient_id, recorded, aid FROM {_schema}.audit_patient WHERE run = @v{i + 2}"));
        int copied = Execute(
            $"INSERT INTO {_schema}.audit_patient (run, patient_id, recorded, aid) SELECT @v0, patient_id, recorded, aid FROM ({arms} ORDER BY 1, 2, 3 LIMIT @v1)",
            [target, _chunk, .. sources]);
        if (copied > 0)
        {
            Execute(
                $"""
                DELETE FROM {_schema}.audit_patient WHERE run IN ({Values(sources, 1)}) AND (patient_id, recorded, aid) <= (
                    SELECT patient_id, recorded, aid FROM {_schema}.audit_patient WHERE run = @v0 ORDER BY patient_id DESC, recorded DESC, aid DESC LIMIT 1)
                """,
                [target, .. sources]);
        }

        return copied;
    }

    // Level 0 holds runs of fewer than mergeAt * runsPerLevel keys; level n those of mergeAt * runsPerLevel^n or more,
    // below the next level's size.
    private int Level(long keys)
    {
        int level = 0;
        for (long size = (long)_mergeAt * _runsPerLevel; keys >= size && size < long.MaxValue / _runsPerLevel; size *= _runsPerLevel)
        {
            level++;
        }

        return level;
    }

    // Above every run listed and every run that holds keys, so a new run is written at the end of the B-tree.
    private long NextRun() =>
        Scalar($"SELECT MAX(COALESCE((SELECT MAX(run) FROM {_schema}.audit_patient_run), 0), COALESCE((SELECT MAX(run) FROM {_schema}.audit_patient), 0)) + 1");

    private List<(long Run, long Keys, long? Into)> ReadRuns()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = $"SELECT run, keys, merging_into FROM {_schema}.audit_patient_run ORDER BY run";
        using SqliteDataReader reader = command.ExecuteReader();
        var runs = new List<(long Run, long Keys, long? Into)>();
        while (reader.Read())
        {
            runs.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }

        return runs;
    }

    private long Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    // "@v1, @v2" for two values bound from position 1.
    private static string Values(long[] values, int from) => string.Join(", ", values.Select((_, i) => "@v" + (from + i).ToString(CultureInfo.InvariantCulture)));

    private int Execute(string sql, params long[] values)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("@v" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        return command.ExecuteNonQuery();
    }
}
