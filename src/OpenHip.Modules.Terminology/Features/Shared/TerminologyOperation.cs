using Hl7.Fhir.Model;
using OpenHip.Fhir.Access;
using OpenHip.Fhir.Operations;

namespace OpenHip.Modules.Terminology.Features.Shared;

/// <summary>
/// What the terminology operations share: type and instance level, read-only (so GET may invoke them), and answered
/// from the in-memory catalog without I/O, so they run synchronously.
/// </summary>
internal abstract class TerminologyOperation(string name, string definition) : IFhirOperation
{
    public string Name => name;

    public OperationLevel Levels => OperationLevel.Type | OperationLevel.Instance;

    public string Definition => definition;

    public bool IsIdempotent => true;

    /// <summary>Terminology content is read by type (CodeSystem, ValueSet, ConceptMap), never per patient.</summary>
    public OperationAccess Access => OperationAccess.ReadsInvokedType;

    public Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new OperationResult(200, Execute(new OperationInput(request))));

    protected abstract Resource Execute(OperationInput input);
}
