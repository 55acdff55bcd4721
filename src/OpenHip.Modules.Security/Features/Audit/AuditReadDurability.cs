namespace OpenHip.Modules.Security.Features.Audit;

/// <summary>What a journaled audit record must have reached before its request is answered.</summary>
public enum AuditReadDurability
{
    /// <summary>The disk: one fsync per batch, shared by every request in it (survives a power loss).</summary>
    Disk,

    /// <summary>
    /// The operating system: the batch is written to the journal file and the request answered, and a background fsync
    /// follows within 100 ms. Survives a crash or kill of the process; a power loss or kernel crash can lose the records
    /// of the last 100 ms or so. For disks whose flush takes milliseconds (network or virtual disks), where waiting for it
    /// bounds how fast one client's reads can go.
    /// </summary>
    Process,
}
