using System.Buffers;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using OpenHip.Fhir.Audit;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>
/// This node's journal of read audits: numbered segment files in a directory of its own, appended in frames
/// (<see cref="AuditJournalFrames"/>) and flushed to disk once per batch, so a request waits for one sequential write and
/// one fsync instead of a database commit. Rows are moved into the audit log in the background
/// (<see cref="AuditJournalMover"/>) and a segment is deleted once all its rows are there; segments a crashed run left are
/// read back and moved at the next start. A lock file keeps a second process (another node configured with the same
/// directory) out.
/// </summary>
internal sealed class AuditJournal : IDisposable
{
    private const string Extension = ".journal";

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly FileStream _lock;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    // A background flush (see Flush) must not meet a handle that Roll or Abandon is closing.
    private readonly Lock _handleGate = new();
    private SafeFileHandle? _current;
    private long _currentLength;
    private long _flushes;

    private AuditJournal(string directory, long segmentBytes, FileStream lockFile, IReadOnlyList<long> leftovers)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _lock = lockFile;
        Leftovers = leftovers;
        CurrentSegment = leftovers.Count == 0 ? 0 : leftovers[^1];
    }

    /// <summary>Segments earlier runs left, oldest first; <see cref="AuditJournalMover.RecoverAsync"/> moves and deletes them.</summary>
    public IReadOnlyList<long> Leftovers { get; }

    /// <summary>The segment appends go to now (the newest leftover before the first append).</summary>
    public long CurrentSegment { get; private set; }

    /// <summary>Background flushes (<see cref="Flush"/>) so far; lets tests see how often the disk is asked.</summary>
    internal long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Where the next segment will be created.</summary>
    internal string NextSegmentPath => PathOf(CurrentSegment + 1);

    /// <summary>Opens (creating) the journal directory; fails when another process holds it.</summary>
    public static AuditJournal Open(string directory, long segmentBytes)
    {
        Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix: held until this process closes it or dies.
            lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The audit journal {directory} is held by another process; every node needs its own (Security:Audit:NodeId or JournalPath)", ex);
        }

        long[] segments = [.. Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
            .Where(n => n >= 0)
            .Order()];
        return new AuditJournal(directory, segmentBytes, lockFile, segments);
    }

    /// <summary>
    /// Appends the rows (and flushes them to disk when <paramref name="flush"/>, else they are in the operating system's
    /// hands until <see cref="Flush"/>); returns the segment that holds them.
    /// </summary>
    public long Append(IReadOnlyList<AuditRow> rows, bool flush = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_current is null || _currentLength >= _segmentBytes)
        {
            Roll();
        }

        _buffer.ResetWrittenCount();
        foreach (AuditRow row in rows)
        {
            AuditJournalFrames.Write(_buffer, row);
        }

        RandomAccess.Write(_current!, _buffer.WrittenSpan, _currentLength);
        if (flush)
        {
            RandomAccess.FlushToDisk(_current!);
        }

        _currentLength += _buffer.WrittenCount;
        return CurrentSegment;
    }

    /// <summary>Flushes what was appended to the current segment to disk (earlier segments were flushed as they closed).</summary>
    public void Flush()
    {
        lock (_handleGate)
        {
            if (_current is { IsClosed: false } current)
            {
                RandomAccess.FlushToDisk(current);
                _flushes++;
            }
        }
    }

    /// <summary>After a failed append: what reached the file is unknown, so later appends go to a fresh segment.</summary>
    public void Abandon()
    {
        lock (_handleGate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    /// <summary>The whole rows of a segment, up to a torn or damaged frame (<paramref name="damaged"/> says whether bytes followed).</summary>
    public List<AuditRow> Read(long segment, out bool damaged)
    {
        byte[] data = File.ReadAllBytes(PathOf(segment));
        List<AuditRow> rows = AuditJournalFrames.Read(data, out int consumed);
        damaged = consumed < data.Length;
        return rows;
    }

    /// <summary>Deletes every segment numbered below <paramref name="segment"/> except the one being appended to.</summary>
    public void DeleteBefore(long segment)
    {
        foreach (string path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n)
                && n < segment && !(n == CurrentSegment && _current is not null))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Closes the current segment and deletes every segment: everything in them is in the audit log.</summary>
    public void Retire()
    {
        Abandon();
        DeleteBefore(long.MaxValue);
    }

    /// <summary>Keeps a damaged segment aside for an operator instead of deleting it.</summary>
    public string Quarantine(long segment)
    {
        string target = PathOf(segment) + ".damaged";
        File.Move(PathOf(segment), target, overwrite: true);
        return target;
    }

    public void Dispose()
    {
        Abandon();
        _lock.Dispose();
    }

    private void Roll()
    {
        lock (_handleGate)
        {
            if (_current is not null)
            {
                RandomAccess.FlushToDisk(_current);
                _current.Dispose();
                _current = null;
            }
        }

        CurrentSegment++;
        // A new file's directory entry is made durable by the fsync of its first append on ext4 and XFS (the journal
        // commit carries both); .NET offers no handle on a directory to fsync it explicitly.
        SafeFileHandle opened = File.OpenHandle(PathOf(CurrentSegment), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        lock (_handleGate)
        {
            _current = opened;
        }

        _currentLength = 0;
    }

    private string PathOf(long segment) => Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);
}
