namespace OpenHip.Fhir.Storage;

/// <summary>One immutable version row as the store keeps it: the resource JSON (UTF-8) exactly as written.</summary>
/// <param name="Json">Empty for a delete version.</param>
public sealed record StoredResource(
    string Type,
    string Id,
    long VersionId,
    DateTimeOffset LastUpdated,
    bool IsDeleted,
    WriteMethod Method,
    ReadOnlyMemory<byte> Json)
{
    public ResourceKey Key => new(Type, Id);

    public VersionKey VersionKey => new(Type, Id, VersionId);

    /// <summary>
    /// The patients whose compartment the current version is in, when the store read them with it (point reads of the
    /// current version); null when not read. Lets an access condition on compartments be judged without parsing.
    /// </summary>
    public IReadOnlyList<string>? Compartments { get; init; }
}
