using Hl7.Fhir.Model;
using OpenHip.Fhir.Requests;

namespace OpenHip.Fhir.Operations;

/// <summary>One invocation: where it was called, its input (a Parameters resource, or a bare resource), the URL parameters.</summary>
public sealed record OperationRequest(
    OperationLevel Level,
    string? Type,
    string? Id,
    Resource? Body,
    IReadOnlyDictionary<string, string[]> Query,
    FhirRequestContext Context,
    bool IsPost = false)
{
    /// <summary>The media types of the request's Accept header, for operations that can answer in a non-FHIR format (CSV).</summary>
    public IReadOnlyList<string> Accept { get; init; } = [];
}
