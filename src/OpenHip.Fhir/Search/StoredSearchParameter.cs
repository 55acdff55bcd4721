namespace OpenHip.Fhir.Search;

/// <summary>
/// What one stored SearchParameter resource contributes to the active set: a parameter per base type, or nothing once it
/// is deleted or retired. <see cref="Version"/> orders changes that reach the registry out of commit order.
/// </summary>
/// <param name="Key">The resource id (or its URL when registered without one).</param>
/// <param name="Version">meta.versionId of the version this describes; 0 when unknown (always applied).</param>
internal sealed record StoredSearchParameter(string Key, long Version, string? Url, IReadOnlyList<SearchParameterInfo> Parameters);
