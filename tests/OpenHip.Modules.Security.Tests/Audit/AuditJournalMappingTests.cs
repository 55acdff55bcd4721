using System.Globalization;
using OpenHip.Fhir.Audit;
using OpenHip.Modules.Security.Features.Audit;

namespace OpenHip.Modules.Security.Tests.Audit;

/// <summary>
/// A flush leaves the journal's written pages out of the process's mapping (so writing them back costs no TLB
/// shoot-down per page), and what was written before and after still reads back whole and in order.
/// </summary>
public sealed class AuditJournalMappingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openhip-journal-map-" + Guid.NewGuid().ToString("n")[..8]);

    [SkippableFact]
    public void Flush_UnmapsTheWholePagesWrittenAndEveryRowStillReads()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads the mapping's resident size from /proc/self/smaps");
        using AuditJournal journal = AuditJournal.Open(_directory, 4 * 1024 * 1024);
        var written = new List<JournaledRow>();
        for (int batch = 0; batch < 40; batch++)
        {
            List<JournaledRow> rows = JournalTestRows.Of(Reads(25, batch), "node-map.1", written.Count);
            journal.Append(rows, flush: false);
            written.AddRange(rows);
        }

        string path = Assert.Single(Directory.GetFiles(_directory, "*.journal"));
        long before = ResidentKilobytes(path);
        Assert.True(before >= 64, $"the appends should have mapped {written.Count} rows' pages, smaps says {before} kB");

        journal.Flush();
        Assert.InRange(ResidentKilobytes(path), 0, Environment.SystemPageSize / 1024);

        List<JournaledRow> more = JournalTestRows.Of(Reads(30, 99), "node-map.1", written.Count);
        journal.Append(more, flush: false);
        written.AddRange(more);
        journal.Flush();

        AuditJournalContents read = journal.Read(journal.CurrentSegment, out bool damaged);
        Assert.False(damaged);
        Assert.Equal(JournalTestRows.Described(written), JournalTestRows.Described(read.Unchained));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static List<AuditRecord> Reads(int count, int batch) =>
        [.. Enumerable.Range(0, count).Select(i => AuditLogHarness.Read(
            "p" + ((batch * 31) + i).ToString(CultureInfo.InvariantCulture), "dr-map", DateTimeOffset.UtcNow.AddMilliseconds(i)))];

    // The Rss line of the mapping of this file (0 when the file is not mapped).
    private static long ResidentKilobytes(string file)
    {
        string[] lines = File.ReadAllLines("/proc/self/smaps");
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].EndsWith(file, StringComparison.Ordinal))
            {
                continue;
            }

            for (int j = i + 1; j < lines.Length && !lines[j].Contains('-', StringComparison.Ordinal); j++)
            {
                if (lines[j].StartsWith("Rss:", StringComparison.Ordinal))
                {
                    return long.Parse(lines[j]["Rss:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }

        return 0;
    }
}
