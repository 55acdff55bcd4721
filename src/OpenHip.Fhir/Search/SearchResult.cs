using OpenHip.Fhir.Search.Parsing;
using OpenHip.Fhir.Storage;

namespace OpenHip.Fhir.Search;

/// <summary>One page of a search: the matches in order, what the includes brought in, and the notes for the client.</summary>
/// <param name="Warnings">Said in an OperationOutcome entry: ignored parameters, truncated includes.</param>
public sealed record SearchResult(
    ParsedSearch Request,
    SearchPage Page,
    IReadOnlyList<StoredResource> Included,
    IReadOnlyList<string> Warnings);
