namespace OpenHip.Fhir.Faults;

/// <summary>
/// The named moments at which <see cref="FaultInjection"/> can kill the process: the crash windows that durability
/// and the audit chain must survive, each right where a real crash would hurt most.
/// </summary>
public static class FaultPoints
{
    /// <summary>A write is committed (data and its audit record) but the client has not been answered.</summary>
    public const string AfterCommitBeforeResponse = "after-commit-before-response";

    /// <summary>A changeset's statements have run in the store's transaction, and COMMIT has not.</summary>
    public const string InsideTransaction = "inside-transaction";

    /// <summary>An audit checkpoint is signed and kept in the log, and the witness does not have it yet.</summary>
    public const string CheckpointSigning = "checkpoint-signing";

    /// <summary><c>openhip keys rotate</c> has stored the new data key and not yet made it current.</summary>
    public const string KeyRotation = "key-rotation";

    /// <summary>A schema migration's statements have run in its transaction, and it is neither recorded nor committed.</summary>
    public const string Migration = "migration";

    /// <summary>A bulk-load batch (<c>openhip import</c>) is copied into its transaction, whose COMMIT has not run yet.</summary>
    public const string BulkBatch = "bulk-batch";
}
