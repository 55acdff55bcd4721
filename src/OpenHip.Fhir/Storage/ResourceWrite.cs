namespace OpenHip.Fhir.Storage;

/// <summary>
/// One new version to append. The engine has already set <c>meta.versionId</c> and <c>meta.lastUpdated</c>
/// inside <paramref name="Json"/>; the store checks <paramref name="ExpectedCurrentVersion"/> atomically and
/// rejects the whole changeset with <see cref="VersionConflictException"/> when another writer got there first.
/// </summary>
/// <param name="ExpectedCurrentVersion">The current version the engine based this write on; 0 means "must not exist yet".</param>
/// <param name="Json">The resource JSON; empty for a delete.</param>
/// <param name="Source">meta.source of the write: the submitting institution, kept in its own column for consent and statistics.</param>
/// <param name="Index">Search index entries of the new version (ignored for deletes).</param>
/// <param name="Compartments">Patient compartments (patient ids) the new version belongs to.</param>
public sealed record ResourceWrite(
    string Type,
    string Id,
    long VersionId,
    long ExpectedCurrentVersion,
    DateTimeOffset LastUpdated,
    WriteMethod Method,
    ReadOnlyMemory<byte> Json,
    string? Source,
    IReadOnlyList<IndexEntry> Index,
    IReadOnlyList<string> Compartments)
{
    public bool IsDelete => Method == WriteMethod.Delete;

    public ResourceKey Key => new(Type, Id);
}
