namespace OpenHip.Fhir.Storage;

/// <summary>Everything one request (or one whole transaction Bundle) writes: committed all together or not at all.</summary>
public sealed class Changeset(IReadOnlyList<ResourceWrite> writes)
{
    public IReadOnlyList<ResourceWrite> Writes { get; } = writes;

    /// <summary>Checked inside the commit's transaction before any write; a violated guard fails the whole changeset.</summary>
    public IReadOnlyList<CreateGuard> Guards { get; init; } = [];

    /// <summary>
    /// The audit rows of these writes, inserted into the audit log in the same transaction: no data change without its
    /// record, and no record of a change that did not happen.
    /// </summary>
    public IReadOnlyList<Audit.AuditRow> AuditRows { get; init; } = [];

    public static Changeset Of(ResourceWrite write) => new([write]);
}
