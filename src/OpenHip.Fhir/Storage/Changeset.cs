namespace OpenHip.Fhir.Storage;

/// <summary>Everything one request (or one whole transaction Bundle) writes: committed all together or not at all.</summary>
public sealed class Changeset(IReadOnlyList<ResourceWrite> writes)
{
    public IReadOnlyList<ResourceWrite> Writes { get; } = writes;

    /// <summary>Checked inside the commit's transaction before any write; a violated guard fails the whole changeset.</summary>
    public IReadOnlyList<CreateGuard> Guards { get; init; } = [];

    public static Changeset Of(ResourceWrite write) => new([write]);
}
