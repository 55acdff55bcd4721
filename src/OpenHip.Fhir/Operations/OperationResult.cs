using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Operations;

/// <summary>What an operation answers: a resource written in the negotiated FHIR format.</summary>
public sealed record OperationResult(int Status, Resource Resource)
{
    /// <summary>
    /// When set and <see cref="Resource"/> is a <see cref="Binary"/>, the HTTP layer sends its data as its own content
    /// type (e.g. a CSV export) instead of a FHIR resource; the operation has then already chosen that format.
    /// </summary>
    public bool Raw { get; init; }
}
