using System.ComponentModel.DataAnnotations;

namespace OpenHip.Fhir.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store: one database file per store.</summary>
public sealed class SqliteStoreOptions
{
    public const string SectionName = "Storage:Sqlite";

    /// <summary>Path of the database file; created (with its -wal and -shm companions) when missing.</summary>
    [Required]
    public string DatabasePath { get; init; } = "openhip.db";

    /// <summary>
    /// The audit log's second file, beside the database: every audit record that does not commit with FHIR data (reads,
    /// searches, refusals, moved journal events) and the checkpoints. Kept apart because SQLite drops a reader
    /// connection's page cache whenever the file it reads has changed; in the data's file, each of the audit log's
    /// commits made every FHIR reader read its pages again. Back it up with the database.
    /// </summary>
    public string AuditDatabasePath => AuditFileOf(DatabasePath);

    /// <summary>"openhip.db" → "openhip.audit.db"; a path without an extension gets ".audit".</summary>
    public static string AuditFileOf(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        string extension = Path.GetExtension(databasePath);
        return string.IsNullOrEmpty(extension)
            ? databasePath + ".audit"
            : databasePath[..^extension.Length] + ".audit" + extension;
    }

    /// <summary>How long a connection waits for a lock held by another connection or process before failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most changesets committed in one transaction (one fsync). Larger groups amortise the fsync over more
    /// writers; smaller groups bound the latency of the first writer in a group.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxChangesetsPerGroupCommit { get; init; } = 256;

    /// <summary>Rows fetched per round trip by streaming reads; each batch uses a short read transaction.</summary>
    [Range(1, 100_000)]
    public int StreamBatchSize { get; init; } = 500;

    /// <summary>
    /// Runs of one size that the audit patient index merges into one run of the next size (a level holds runs of a power
    /// of this many keys): more means fewer copies of each key as the index grows and more runs for a patient's lookup
    /// to read.
    /// </summary>
    [Range(2, 1_000)]
    public int AuditPatientRunsPerLevel { get; init; } = 10;

    /// <summary>How often planner statistics are refreshed (<c>PRAGMA optimize</c>) while the store is open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OptimizeInterval { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new ArgumentException("A database file path is required.", nameof(DatabasePath));
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, "The busy timeout cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChangesetsPerGroupCommit, 1, nameof(MaxChangesetsPerGroupCommit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OptimizeInterval, TimeSpan.Zero, nameof(OptimizeInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamBatchSize, 1, nameof(StreamBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(AuditPatientRunsPerLevel, 2, nameof(AuditPatientRunsPerLevel));
    }
}
