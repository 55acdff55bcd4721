using System.ComponentModel.DataAnnotations;

namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>The tamper-evident audit log ("Security:Audit").</summary>
public sealed class AuditLogOptions
{
    public const string SectionName = "Security:Audit";

    /// <summary>On with the security module; off leaves audit to the default sink (logs only), e.g. for load tests of the bare engine.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The server's data directory; set by the composition root from Server:DataDirectory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// This node's name in chain ids and checkpoint series; unique per node sharing a database. Default: the machine name
    /// and a short hash of the data directory's full path, so two nodes on one machine differ and a restart keeps its series.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>Chains written at once by this node: concurrent audited commits each hold one lane until they settle.</summary>
    [Range(1, 256)]
    public int Lanes { get; set; } = 8;

    /// <summary>Records waiting for the group-commit writer; a full queue makes requests wait (backpressure), never drops.</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most records appended in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>
    /// Reads and other non-write audits go to a node-local journal file (one sequential write and fsync per batch) and
    /// are moved into the audit log in the background; off, every batch is a database commit the requests wait for.
    /// </summary>
    public bool Journal { get; set; } = true;

    /// <summary>What a journaled record must reach before its request is answered (see <see cref="AuditReadDurability"/>).</summary>
    public AuditReadDurability ReadDurability { get; set; } = AuditReadDurability.Disk;

    /// <summary>The journal's directory. Default: <c>audit-journal/&lt;node&gt;</c> in the data directory.</summary>
    public string? JournalPath { get; set; }

    /// <summary>
    /// Chains the journal's records are written to, round-robin (<see cref="AuditChainGroup"/>): the mover hashes this
    /// many links at once, so fewer make each checkpoint shorter and the chaining slower.
    /// </summary>
    [Range(1, AuditChainGroup.MaxWidth)]
    public int JournalChains { get; set; } = AuditChainGroup.MaxWidth;

    /// <summary>A new journal segment starts after this many bytes; moved segments are deleted whole.</summary>
    [Range(4_096, 1L << 34)]
    public long JournalSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most journaled records moved into the audit log in one transaction.</summary>
    [Range(1, 100_000)]
    public int MoveBatch { get; set; } = 2_000;

    /// <summary>How long journaled records may gather before they are moved (a search of AuditEvent on this node moves them at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MoveInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Journaled records not yet moved before requests wait (the database is down or behind).</summary>
    [Range(1_000, 10_000_000)]
    public int JournalBacklog { get; set; } = 200_000;

    /// <summary>A checkpoint at least this often while anything was appended.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>... and also after this many events, whichever comes first.</summary>
    [Range(1, 10_000_000)]
    public int CheckpointEvery { get; set; } = 1_000;

    /// <summary>
    /// The SM2 key that signs checkpoints (created on first start). Default: <c>audit-signing.key</c> in the data directory.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// The append-only witness file of signed checkpoints. Default: <c>&lt;data directory&gt;.audit-witness.jsonl</c> beside,
    /// not inside, the data directory, so that a copy or loss of the data directory does not carry its witness with it.
    /// </summary>
    public string? WitnessPath { get; set; }

    /// <summary>An HTTP witness instead of the file: every checkpoint is POSTed here (must be listed in <see cref="AllowedWitnessUrls"/>).</summary>
    public Uri? WitnessUrl { get; set; }

    /// <summary>The only URLs a checkpoint may be sent to (no outgoing request to anywhere else).</summary>
    public IList<string> AllowedWitnessUrls { get; } = [];

    internal string Node => string.IsNullOrWhiteSpace(NodeId)
        ? $"{Environment.MachineName}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(DataDirectory))))[..8]}"
        : NodeId;

    internal string ResolvedSigningKeyPath => SigningKeyPath ?? Path.Combine(DataDirectory, "audit-signing.key");

    internal string ResolvedJournalPath => JournalPath ?? Path.Combine(DataDirectory, "audit-journal", Node);

    internal string ResolvedWitnessPath => WitnessPath ?? DefaultWitnessPath(DataDirectory);

    /// <summary><c>/var/lib/openhip/data</c> → <c>/var/lib/openhip/data.audit-witness.jsonl</c>.</summary>
    public static string DefaultWitnessPath(string dataDirectory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        return full + ".audit-witness.jsonl";
    }
}
