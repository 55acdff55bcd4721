using Hl7.Fhir.Model;

namespace OpenHip.Fhir.Operations;

public sealed record OperationResult(int Status, Resource Resource);
