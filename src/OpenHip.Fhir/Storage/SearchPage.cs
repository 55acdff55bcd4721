namespace OpenHip.Fhir.Storage;

/// <summary>One page of search matches in order, with opaque cursors for the neighbouring pages (null at either end).</summary>
/// <param name="Total">Null when the query asked for no total.</param>
public sealed record SearchPage(IReadOnlyList<StoredResource> Resources, long? Total, string? NextCursor, string? PreviousCursor);
