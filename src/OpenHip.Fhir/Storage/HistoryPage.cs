namespace OpenHip.Fhir.Storage;

/// <param name="Entries">Versions with their global sequence numbers, newest first.</param>
/// <param name="NextBefore">Cursor for the next page, null when this is the last page.</param>
/// <param name="Total">Versions in the whole history; null when the caller's access filters it (a count would reveal hidden versions).</param>
public sealed record HistoryPage(IReadOnlyList<StoredResource> Entries, long? NextBefore, long? Total);
