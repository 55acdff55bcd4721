namespace OpenHip.Fhir.Storage;

/// <summary>
/// New index entries for the current version of a resource, from <c>$reindex</c>. Applied only while
/// <paramref name="VersionId"/> is still current: a write that got there first has indexed itself already.
/// </summary>
public sealed record IndexReplacement(ResourceKey Key, long VersionId, IReadOnlyList<IndexEntry> Index);
