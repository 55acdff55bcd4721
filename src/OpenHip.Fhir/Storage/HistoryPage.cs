namespace OpenHip.Fhir.Storage;

/// <param name="Entries">Versions with their global sequence numbers, newest first.</param>
/// <param name="NextBefore">Cursor for the next page, null when this is the last page.</param>
public sealed record HistoryPage(IReadOnlyList<StoredResource> Entries, long? NextBefore, long Total);
