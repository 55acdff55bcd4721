using System.Buffers;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
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
/// <remarks>
/// A segment is written through a shared memory mapping of its file, preallocated: an append is a copy into the
/// operating system's page cache, which outlives a crash of this process, without a system call per append (with
/// <see cref="AuditReadDurability.Process"/> each audited read appends alone, and a write call was ~2.3 µs of its CPU;
/// docs/performance.md, "Tenth pass"). A batch's bytes are copied before its first frame's length, a single four-byte store, so
/// a process killed mid-copy leaves a zero length where the batch starts, which reads as the end. Preallocating makes
/// a full disk fail the segment's creation rather than a later store into the mapping. A segment's file is cut to its
/// written length when it closes; a crashed run's segment ends in zeros, which read as its end. Each background flush
/// first unmaps the whole pages written so far (<see cref="MappedSegment.Unmap"/>).
/// </remarks>
internal sealed partial class AuditJournal : IDisposable
{
    private const string Extension = ".journal";

    // The load driver's read frames in 88 bytes (a 79-byte payload); a much larger one (a long query) takes the buffered path.
    private const int MaxStackFrame = 1024;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly FileStream _lock;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly AuditJournalFrames.Writer _frames = new();

    // A background flush (see Flush) must not meet a segment that Roll or Abandon is closing.
    private readonly Lock _handleGate = new();
    private MappedSegment? _current;
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
    public long Append(IReadOnlyList<JournaledRow> rows, bool flush = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return CurrentSegment;
        }

        ReadOnlySpan<byte> bytes = Frame(rows);
        if (_current is null || _currentLength + bytes.Length > _current.Capacity)
        {
            // Framed again as a new segment's first rows (with their group frame) before the segment is sized for them.
            _frames.Reset();
            bytes = Frame(rows);
            Roll(bytes.Length);
        }

        MappedSegment segment = _current!;
        segment.Write(_currentLength + 4, bytes[4..]);
        segment.WriteLength(_currentLength, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes));
        if (flush)
        {
            segment.Flush();
        }

        Volatile.Write(ref _currentLength, _currentLength + bytes.Length);
        return CurrentSegment;
    }

    /// <summary>
    /// Appends one row without flushing it (an audited read with <see cref="AuditReadDurability.Process"/>): when it
    /// follows the row before in the current segment, its frame is written straight into the mapping.
    /// </summary>
    public long Append(JournaledRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        int length = _current is null ? 0 : _frames.ContinuingLength(row);
        if (length == 0 || length > MaxStackFrame || _currentLength + length > _current!.Capacity)
        {
            return Append([row], flush: false);
        }

        Span<byte> frame = stackalloc byte[length];
        _frames.WriteContinuing(frame, row);
        _current.Write(_currentLength + 4, frame[4..]);
        _current.WriteLength(_currentLength, length - 4);
        Volatile.Write(ref _currentLength, _currentLength + length);
        return CurrentSegment;
    }

    // The frames as they continue the current segment.
    private ReadOnlySpan<byte> Frame(IReadOnlyList<JournaledRow> rows)
    {
        _buffer.ResetWrittenCount();
        foreach (JournaledRow row in rows)
        {
            _frames.Write(_buffer, row);
        }

        return _buffer.WrittenSpan;
    }

    /// <summary>Flushes what was appended to the current segment to disk (earlier segments were flushed as they closed).</summary>
    public void Flush()
    {
        lock (_handleGate)
        {
            if (_current is { } current)
            {
                current.Unmap(Volatile.Read(ref _currentLength));
                current.Flush();
                _flushes++;
            }
        }
    }

    /// <summary>After a failed append: what reached the file is unknown, so later appends go to a fresh segment.</summary>
    public void Abandon()
    {
        lock (_handleGate)
        {
            _current?.Close(_currentLength);
            _current = null;
        }
    }

    /// <summary>The whole rows of a segment, up to a torn or damaged frame (<paramref name="damaged"/> says whether one followed).</summary>
    public AuditJournalContents Read(long segment, out bool damaged)
    {
        byte[] data = File.ReadAllBytes(PathOf(segment));
        AuditJournalContents rows = AuditJournalFrames.Read(data, out int consumed);
        ReadOnlySpan<byte> rest = data.AsSpan(consumed);

        // Zeros where the next frame would start end a segment cleanly: the unwritten part of a mapped segment, or a batch
        // whose copy a crash interrupted before its length was stored (never acknowledged).
        damaged = rest.Length >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(rest) != 0 : rest.ContainsAnyExcept((byte)0);
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

    private void Roll(int needed)
    {
        lock (_handleGate)
        {
            _current?.Close(_currentLength);
            _current = null;
        }

        CurrentSegment++;
        // A new file's directory entry is made durable by the fsync of its first flush on ext4 and XFS (the journal
        // commit carries both); .NET offers no handle on a directory to fsync it explicitly.
        var opened = MappedSegment.Create(PathOf(CurrentSegment), Math.Max(_segmentBytes, needed + 4));
        opened.WriteLength(0, AuditJournalFrames.SegmentMark);
        Volatile.Write(ref _currentLength, 4);
        lock (_handleGate)
        {
            _current = opened;
        }
    }

    private static partial class Libc
    {
        public const int DontNeed = 4;

        [LibraryImport("libc", EntryPoint = "madvise")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static partial int Madvise(nint address, nuint length, int advice);

        [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static partial int Fdatasync(SafeFileHandle file);
    }

    private string PathOf(long segment) => Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>A segment file, preallocated and mapped whole for writing.</summary>
    private sealed class MappedSegment
    {
        private readonly SafeFileHandle _file;
        private readonly MemoryMappedFile _map;
        private readonly MemoryMappedViewAccessor _view;
        private static readonly int PageSize = Environment.SystemPageSize;
        private long _unmapped;
        private bool _synced;

        private MappedSegment(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, long capacity)
        {
            _file = file;
            _map = map;
            _view = view;
            Capacity = capacity;
        }

        public long Capacity { get; }

        public static MappedSegment Create(string path, long capacity)
        {
            SafeFileHandle file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, preallocationSize: capacity);
            MemoryMappedFile? map = null;
            try
            {
                map = MemoryMappedFile.CreateFromFile(file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
                return new MappedSegment(file, map, map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite), capacity);
            }
            catch
            {
                map?.Dispose();
                file.Dispose();
                throw;
            }
        }

        public void Write(long position, ReadOnlySpan<byte> bytes) =>
            _view.SafeMemoryMappedViewHandle.WriteSpan((ulong)(_view.PointerOffset + position), bytes);

        public void WriteLength(long position, int length) => _view.Write(position, length);

        /// <summary>
        /// Drops this process's page-table entries for the whole pages before <paramref name="written"/>, which appends
        /// never touch again. Writing back a page that is still mapped write-protects it in every CPU's TLB, one
        /// inter-processor interrupt per page, which a hypervisor makes slow; an unmapped page is written back without
        /// one. The page cache keeps the pages and their dirty state, so nothing written is lost, and a later access
        /// would map them again.
        /// </summary>
        public void Unmap(long written)
        {
            long end = written / PageSize * PageSize;
            if (!OperatingSystem.IsLinux() || end <= _unmapped)
            {
                return;
            }

            bool added = false;
            try
            {
                _view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
                nint start = _view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)(_view.PointerOffset + _unmapped);
                if (Libc.Madvise(start, (nuint)(end - _unmapped), Libc.DontNeed) == 0)
                {
                    _unmapped = end;
                }
            }
            finally
            {
                if (added)
                {
                    _view.SafeMemoryMappedViewHandle.DangerousRelease();
                }
            }
        }

        /// <remarks>
        /// On Linux, after the segment's first flush, one <c>fdatasync</c>: the page cache tracks the mapping's dirty
        /// pages itself, so the view's <c>msync</c> (a synchronous flush of the same range) and a full <c>fsync</c>
        /// after it were two flushes, the second one committing only the times the mapping's writes updated. The first
        /// flush stays a full one, which commits the new file's directory entry and allocation.
        /// </remarks>
        public void Flush()
        {
            if (_synced && OperatingSystem.IsLinux())
            {
                if (Libc.Fdatasync(_file) != 0)
                {
                    throw new IOException($"fdatasync of an audit journal segment failed (errno {Marshal.GetLastPInvokeError()})");
                }

                return;
            }

            _view.Flush();
            RandomAccess.FlushToDisk(_file);
            _synced = true;
        }

        /// <summary>Flushes, unmaps and cuts the file to what was written.</summary>
        public void Close(long length)
        {
            try
            {
                _view.Flush();
                _view.Dispose();
                _map.Dispose();
                RandomAccess.SetLength(_file, length);
                RandomAccess.FlushToDisk(_file);
            }
            finally
            {
                _file.Dispose();
            }
        }
    }
}
