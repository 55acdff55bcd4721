namespace OpenHip.Fhir.Storage;

/// <summary>
/// _history at system (Type null), type (Id null) or instance level, newest first.
/// Paging is keyset-based on the store's global sequence number, so pages stay stable while writes go on.
/// </summary>
/// <param name="Since">R4 <c>_since</c>: only versions with lastUpdated at or after it.</param>
/// <param name="Before">Exclusive upper bound on the sequence number (the cursor of the next page); null for the first page.</param>
public sealed record HistoryQuery(string? Type, string? Id, DateTimeOffset? Since, int Count, long? Before);
