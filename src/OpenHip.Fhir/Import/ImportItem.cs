namespace OpenHip.Fhir.Import;

/// <summary>One resource of an import file: where it came from (for messages) and its JSON.</summary>
/// <param name="Ordinal">0-based position within the file, the unit of resumption.</param>
/// <param name="Id">The id it is stored under: its own, or for a Bundle entry without one the uuid of its urn:uuid fullUrl.</param>
/// <param name="References">For Bundle entries: every entry's fullUrl and the Type/id it is stored as, to rewrite references.</param>
public sealed record ImportItem(string File, long Ordinal, string Location, ReadOnlyMemory<byte> Json, string? Id, IReadOnlyDictionary<string, string>? References);
